import { checkReadiness } from "./health-server";

describe("checkReadiness", () => {
  it("names a dependency that does not answer in time, without waiting for it", async () => {
    const started = Date.now();
    const result = await checkReadiness({ redis: async () => "PONG", neo4j: () => new Promise(() => undefined) }, 100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.failing).toEqual(["neo4j"]);
    expect(result.errors.neo4j).toMatch(/no answer within 100 ms/);
  });

  it("names a dependency whose check fails", async () => {
    const result = await checkReadiness({ postgres: () => Promise.reject(new Error("connection refused")), redis: async () => "PONG" });
    expect(result).toEqual({ failing: ["postgres"], errors: { postgres: "connection refused" } });
  });
});
