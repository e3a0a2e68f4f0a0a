import { randomUUID } from "node:crypto";
import { GraphError, VectorDimensionMismatchError, applyGraphSchema, type GraphClient } from "@dealgraph/graph";
import type { Config } from "@dealgraph/config";
import { connectGraph, freshTenantId, testConfig } from "../support/services";

let config: Config;
let aiGraph: GraphClient;
let dealGraph: GraphClient;
const tenantId = freshTenantId();

/** A unit vector of the configured dimension pointing mostly along `axis`. */
function vector(dimension: number, axis: number, tilt = 0): number[] {
  const v = new Array<number>(dimension).fill(0);
  v[axis] = 1;
  v[(axis + 1) % dimension] = tilt;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

beforeAll(async () => {
  config = testConfig();
  aiGraph = await connectGraph(config, "action_items");
  dealGraph = await connectGraph(config, "deals");
});

afterAll(async () => {
  for (const graph of [aiGraph, dealGraph]) {
    await graph.write((tx) => tx.run("MATCH (n {tenant_id: $tenantId}) DETACH DELETE n", { tenantId }));
    await graph.close();
  }
});

describe("Neo4j schema", () => {
  it("sets up both graphs again without error", async () => {
    await expect(applyGraphSchema(aiGraph, "action_items", config.embeddings.dimension)).resolves.toBeUndefined();
    await expect(applyGraphSchema(dealGraph, "deals", config.embeddings.dimension)).resolves.toBeUndefined();
    const indexes = await dealGraph.runSchemaCommand("SHOW VECTOR INDEXES YIELD name, state WHERE name STARTS WITH 'deal_' RETURN name, state ORDER BY name");
    expect(indexes).toEqual([
      { name: "deal_embedding", state: "ONLINE" },
      { name: "deal_embedding_current", state: "ONLINE" },
    ]);
  });

  it("rejects a second node with the same (tenant_id, id) and accepts the id under another tenant", async () => {
    const opportunityId = randomUUID();
    const create = (tenant: string) =>
      dealGraph.write((tx) => tx.run("CREATE (:Deal {tenant_id: $tenant, opportunity_id: $opportunityId, name: 'x'})", { tenant, opportunityId }));
    await create(tenantId);

    const duplicate = await create(tenantId).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(GraphError);
    expect((duplicate as GraphError).code).toBe("Neo.ClientError.Schema.ConstraintValidationFailed");
    expect((duplicate as GraphError).retryable).toBe(false);

    const otherTenant = freshTenantId();
    await expect(create(otherTenant)).resolves.toBeDefined();
    await dealGraph.write((tx) => tx.run("MATCH (n:Deal {tenant_id: $otherTenant}) DETACH DELETE n", { otherTenant }));
  });

  it("keys the action-item graph's labels by tenant too", async () => {
    const ownerId = randomUUID();
    const create = () =>
      aiGraph.write((tx) =>
        tx.run("CREATE (:Owner {tenant_id: $tenantId, owner_id: $ownerId, normalized_name: $name})", {
          tenantId,
          ownerId,
          name: `owner-${ownerId}`,
        }),
      );
    await create();
    await expect(create()).rejects.toThrow(/already exists/);
  });

  it("answers a vector query with the nearest node first", async () => {
    const dimension = config.embeddings.dimension;
    const accountId = `acct-${randomUUID()}`;
    const deals = [
      { id: randomUUID(), name: "near", embedding: vector(dimension, 0, 0.1) },
      { id: randomUUID(), name: "middle", embedding: vector(dimension, 0, 1.5) },
      // Still well above the cosine of unrelated vectors (near 0): other tenants' deals in the
      // same index (the matching benchmark's 200,000 random ones) must not outrank it in the top 50.
      { id: randomUUID(), name: "far", embedding: vector(dimension, 0, 4) },
    ];
    await dealGraph.write((tx) =>
      tx.run(
        `UNWIND $deals AS d
         CREATE (n:Deal {tenant_id: $tenantId, account_id: $accountId, opportunity_id: d.id, name: d.name})
         WITH n, d CALL db.create.setNodeVectorProperty(n, 'embedding', d.embedding)`,
        { tenantId, accountId, deals },
      ),
    );
    await dealGraph.runSchemaCommand("CALL db.awaitIndexes(60)");

    const rows = await dealGraph.read(async (tx) => {
      const result = await tx.run(
        `CALL db.index.vector.queryNodes('deal_embedding', 50, $query) YIELD node, score
         WHERE node.tenant_id = $tenantId AND node.account_id = $accountId
         RETURN node.name AS name, score ORDER BY score DESC`,
        { query: vector(dimension, 0), tenantId, accountId },
      );
      return result.records.map((r) => ({ name: r.get("name") as string, score: r.get("score") as number }));
    });
    expect(rows.map((r) => r.name)).toEqual(["near", "middle", "far"]);
    expect(rows[0]!.score).toBeGreaterThan(0.99);
  });

  it("refuses to start against vector indexes of another dimension", async () => {
    await expect(applyGraphSchema(dealGraph, "deals", config.embeddings.dimension + 1)).rejects.toThrow(VectorDimensionMismatchError);
  });
});

describe("managed transactions", () => {
  it("retry a transaction that lost a deadlock, so both writers commit", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await dealGraph.write((tx) =>
      tx.run("UNWIND [$a, $b] AS id CREATE (:Account {tenant_id: $tenantId, account_id: id, touched: 0})", {
        tenantId,
        a,
        b,
      }),
    );

    // Each writer locks its first node, waits until the other holds its own, then reaches for
    // the other's node: a deadlock that Neo4j breaks by failing one transaction transiently.
    let firstLocks = 0;
    let release!: () => void;
    const bothLocked = new Promise<void>((resolve) => (release = resolve));
    const attempts = { ab: 0, ba: 0 };
    const writer = (name: "ab" | "ba", first: string, second: string) =>
      dealGraph.write(async (tx) => {
        attempts[name] += 1;
        const touch = (id: string) =>
          tx.run("MATCH (n:Account {tenant_id: $tenantId, account_id: $id}) SET n.touched = n.touched + 1", {
            tenantId,
            id,
          });
        await touch(first);
        if (attempts[name] === 1) {
          firstLocks += 1;
          if (firstLocks === 2) release();
          await bothLocked;
        }
        await touch(second);
      });

    await Promise.all([writer("ab", a, b), writer("ba", b, a)]);

    expect(attempts.ab + attempts.ba).toBeGreaterThanOrEqual(3);
    const touched = await dealGraph.read(async (tx) => {
      const result = await tx.run("MATCH (n:Account {tenant_id: $tenantId}) WHERE n.account_id IN [$a, $b] RETURN sum(n.touched) AS total", { tenantId, a, b });
      return result.records[0]!.get("total") as number;
    });
    expect(touched).toBe(4);
  });
});
