import { GraphClient, GraphError } from "@dealgraph/graph";
import { connectGraph, testConfig } from "../support/services";

/*
 * GraphClient against the real deal graph: what each kind of read costs in round trips (the
 * workers' metrics count them), and what a one-statement read does when it is misused or the
 * server is not there.
 */

const config = testConfig();
let graph: GraphClient;

beforeAll(async () => {
  graph = await connectGraph(config, "deals");
});

afterAll(async () => {
  await graph.close();
});

describe("GraphClient", () => {
  it("answers a one-statement read in one round trip, where a managed read also commits", async () => {
    const before = graph.roundTrips();
    const one = await graph.readOne(async (tx) => (await tx.run("RETURN $x AS x", { x: 41 })).records[0]?.get("x") as number);
    const afterOne = graph.roundTrips();
    const managed = await graph.read(async (tx) => (await tx.run("RETURN $x AS x", { x: 42 })).records[0]?.get("x") as number);
    expect([one, managed]).toEqual([41, 42]);
    expect(afterOne - before).toBe(1);
    expect(graph.roundTrips() - afterOne).toBe(2);
  });

  it("refuses a second statement in a one-statement read, as an error not worth retrying", async () => {
    const misuse = graph.readOne(async (tx) => {
      await tx.run("RETURN 1");
      return tx.run("RETURN 2");
    });
    await expect(misuse).rejects.toMatchObject({ code: "GRAPH_MISUSE", retryable: false });
  });

  it("keeps trying a one-statement read while the server is unreachable, then fails with a retryable GraphError", async () => {
    // Nothing listens on port 1; the retry window is cut short so the test does not wait 30 s.
    const absent = GraphClient.connect({ ...config.graphs.deals, uri: "bolt://127.0.0.1:1" }, { name: "absent-graph", maxTransactionRetryMs: 700 });
    let attempts = 0;
    const started = performance.now();
    const read = absent.readOne(async (tx) => {
      attempts++;
      return tx.run("RETURN 1");
    });
    await expect(read).rejects.toBeInstanceOf(GraphError);
    await expect(read).rejects.toMatchObject({ retryable: true });
    expect(attempts).toBeGreaterThan(1);
    expect(performance.now() - started).toBeLessThan(5_000);
    await absent.close();
  });
});
