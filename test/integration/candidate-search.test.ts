import { randomUUID } from "node:crypto";
import { CandidateSearch, bestScorePerCandidate, normalizeKey } from "@dealgraph/matching";
import type { GraphClient } from "@dealgraph/graph";
import { hashingEmbedding } from "@dealgraph/llm";
import { connectGraph, freshTenantId, testConfig } from "../support/services";

const config = testConfig();
const dimension = config.embeddings.dimension;
let graph: GraphClient;
const tenants: string[] = [];

/** A tenant for this suite only; its deals are deleted afterwards. */
function tenant(): string {
  const id = freshTenantId();
  tenants.push(id);
  return id;
}

const embed = (text: string) => hashingEmbedding(text, dimension);

async function createDeals(rows: Array<{ tenantId: string; accountId: string; name: string; text: string }>) {
  await graph.write((tx) =>
    tx.run(
      `UNWIND $rows AS row
       CREATE (:Deal {tenant_id: row.tenantId, account_id: row.accountId, opportunity_id: row.id,
                      name: row.name, normalized_name: row.key,
                      embedding: row.embedding, embedding_current: row.embedding})`,
      {
        rows: rows.map((r) => ({ ...r, id: randomUUID(), key: normalizeKey(r.name), embedding: embed(r.text) })),
      },
    ),
  );
}

async function idOf(tenantId: string, name: string): Promise<string> {
  return graph.read(async (tx) => {
    const result = await tx.run("MATCH (d:Deal {tenant_id: $tenantId, normalized_name: $name}) RETURN d.opportunity_id AS id", {
      tenantId,
      name: normalizeKey(name),
    });
    return String(result.records[0]?.get("id"));
  });
}

beforeAll(async () => {
  graph = await connectGraph(config, "deals");
});

afterAll(async () => {
  await graph.write((tx) => tx.run("MATCH (d:Deal) WHERE d.tenant_id IN $tenants DETACH DELETE d", { tenants }));
  await graph.close();
});

describe("CandidateSearch (deals)", () => {
  const query = "Fleet telemetry analytics platform: Northwind pilots fleet telemetry analytics in the Midwest region";

  it("finds the account's deal even when thousands of other tenants' and accounts' deals sit on the query vector", async () => {
    const tenantId = tenant();
    const otherTenant = tenant();
    await createDeals([
      {
        tenantId,
        accountId: "acct-1",
        name: "Fleet telemetry analytics platform",
        text: "Fleet telemetry analytics platform: Northwind evaluates fleet telemetry analytics",
      },
      { tenantId, accountId: "acct-1", name: "Premium support plan", text: "Premium support plan: round-the-clock support with fifteen minute response" },
    ]);
    // Exact copies of the query: every one of them would outrank the right deal in a global top-k.
    const decoys = Array.from({ length: 1500 }, (_, i) => ({
      tenantId: i % 2 === 0 ? otherTenant : tenantId,
      accountId: i % 2 === 0 ? "acct-1" : `acct-other-${i}`,
      name: `Decoy ${i}`,
      text: query,
    }));
    for (let i = 0; i < decoys.length; i += 500) await createDeals(decoys.slice(i, i + 500));

    const search = new CandidateSearch(graph, "deal");
    const [result] = await search.find(tenantId, "acct-1", [{ key: "something else", embedding: embed(query) }]);
    const ranked = bestScorePerCandidate(result?.hits ?? []);

    const target = await idOf(tenantId, "Fleet telemetry analytics platform");
    expect(ranked.map((c) => c.id)).toHaveLength(2);
    expect(ranked[0]?.id).toBe(target);
    expect(ranked[0]?.score).toBeGreaterThan(0.5);
    expect(ranked[1]?.score).toBeLessThan(0.3);
    expect(result?.exactMatchId).toBeNull();
  });

  it("answers several queries in one call, each with its own exact-name match, scoped to the account", async () => {
    const tenantId = tenant();
    await createDeals([
      { tenantId, accountId: "acct-a", name: "CRM", text: "CRM: customer relationship management seats" },
      { tenantId, accountId: "acct-b", name: "CRM", text: "CRM: customer relationship management seats" },
    ]);
    const search = new CandidateSearch(graph, "deal");
    const results = await search.find(tenantId, "acct-a", [
      { key: normalizeKey("The CRM"), embedding: embed("completely unrelated words here") },
      { key: "nothing", embedding: embed("CRM: customer relationship management seats") },
    ]);
    const inAccountA = await graph.read(async (tx) =>
      String((await tx.run("MATCH (d:Deal {tenant_id: $tenantId, account_id: 'acct-a'}) RETURN d.opportunity_id AS id", { tenantId })).records[0]?.get("id")),
    );
    expect(results[0]?.exactMatchId).toBe(inAccountA);
    expect(results[1]?.exactMatchId).toBeNull();
    expect(bestScorePerCandidate(results[1]?.hits ?? [])).toEqual([{ id: inAccountA, score: expect.closeTo(1, 5) }]);
  });

  it("scores a revised record's current vector, and trusts an unrevised record's original alone", async () => {
    const tenantId = tenant();
    const original = embed("Premium support plan: round-the-clock support");
    const current = embed("Fleet telemetry analytics platform: a signed pilot in the Midwest");
    // The same two vectors on three records; only the revision flag differs.
    await graph.write((tx) =>
      tx.run(
        `UNWIND $rows AS row
         CREATE (d:Deal {tenant_id: $tenantId, account_id: 'acct-r', opportunity_id: row.name, name: row.name, normalized_name: row.name})
         SET d.embedding_revised = row.revised
         WITH d
         CALL db.create.setNodeVectorProperty(d, 'embedding', $original)
         CALL db.create.setNodeVectorProperty(d, 'embedding_current', $current)`,
        {
          tenantId,
          original,
          current,
          rows: [
            { name: "revised", revised: true },
            { name: "unrevised", revised: false },
            { name: "unflagged", revised: null },
          ],
        },
      ),
    );
    const [result] = await new CandidateSearch(graph, "deal").find(tenantId, "acct-r", [{ key: "nothing", embedding: current }]);
    const best = new Map(bestScorePerCandidate(result?.hits ?? []).map((c) => [c.id, c.score]));
    expect(best.get("revised")).toBeCloseTo(1, 5);
    // Written before the flag existed: both vectors are read.
    expect(best.get("unflagged")).toBeCloseTo(1, 5);
    expect(best.get("unrevised")).toBeLessThan(0.5);
  });

  it("returns no candidates for an account without deals", async () => {
    const search = new CandidateSearch(graph, "deal");
    expect(await search.find(tenant(), "acct-empty", [{ key: "x", embedding: embed("x") }])).toEqual([
      { exactMatchId: null, hits: [], texts: new Map(), records: new Map() },
    ]);
  });
});
