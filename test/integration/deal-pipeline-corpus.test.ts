import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";
import type { DealPipeline, DealPipelineResult } from "@dealgraph/deal-pipeline";
import type { GraphClient } from "@dealgraph/graph";
import { PROTECTED_OPPORTUNITY_COLUMNS, createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import pg from "pg";
import { accepted, corpusInFreshTenants, withoutWriteTimes, dealPipeline, deleteTenantData, type FreshCorpus } from "../support/pipelines";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * The sample corpus through the deal pipeline, in timestamp order, against the real deal graph
 * and Postgres: what a good run yields (the manifest's expectations), the agreement of graph and
 * projection, the CRM's columns left alone, and replay.
 */

const config = testConfig();
let graph: GraphClient;
let db: Kysely<Database>;
let owner: Kysely<Database>;
let listener: pg.Client;
let pipeline: DealPipeline;
let corpus: FreshCorpus;
const forecastNotifications: string[] = [];
const results = new Map<string, DealPipelineResult>();

interface ExpectedDeal {
  what: string;
  created_by: string;
  updated_by?: string[];
  amount_range_usd: [number, number];
  economic_buyer?: string;
  champion?: string;
}

interface GraphDeal {
  id: string;
  account: string;
  properties: Record<string, unknown>;
  embedding: number[];
  versions: number[];
  links: Array<{ interaction: string; relation: string }>;
}

async function graphDeals(tenantId: string): Promise<GraphDeal[]> {
  return graph.read(async (tx) => {
    const result = await tx.run(
      `MATCH (d:Deal {tenant_id: $tenantId})
       RETURN d.opportunity_id AS id, d.account_id AS account, d {.*, embedding: null, embedding_current: null} AS properties,
              d.embedding AS embedding,
              COLLECT { MATCH (d)-[:HAS_VERSION]->(v:DealVersion) RETURN v.version_number ORDER BY v.version_number } AS versions,
              COLLECT { MATCH (d)-[r:DISCUSSED_IN]->(i:Interaction) RETURN {interaction: i.interaction_id, relation: r.relation} } AS links
       ORDER BY id`,
      { tenantId },
    );
    return result.records.map((r) => r.toObject() as GraphDeal);
  });
}

async function dealCounts(tenantId: string): Promise<Record<string, number | null>> {
  return graph.read(async (tx) => {
    const result = await tx.run("MATCH (i:Interaction {tenant_id: $tenantId}) RETURN i.interaction_id AS id, i.deal_count AS count", { tenantId });
    return Object.fromEntries(result.records.map((r) => [String(r.get("id")), r.get("count") as number | null]));
  });
}

async function projection(tenantId: string) {
  return withTenant(db, tenantId, async (trx) => ({
    opportunities: await trx.selectFrom("opportunities").selectAll().orderBy("graph_opportunity_id").execute(),
    versions: await trx.selectFrom("deal_versions").selectAll().orderBy("opportunity_id").orderBy("version_number").execute(),
    interactions: await trx.selectFrom("interactions").selectAll().orderBy("interaction_id").execute(),
    links: await trx.selectFrom("interaction_links").selectAll().orderBy("interaction_id").orderBy("entity_id").execute(),
  }));
}

const entryNamed = (prefix: string) => corpus.entry(prefix);
const interactionOf = (prefix: string) => corpus.interactionOf(prefix);
const tenantA = () => corpus.tenants.A ?? "";
const tenantB = () => corpus.tenants.B ?? "";

/** The deal whose name is made of words of the manifest's description of it. */
function dealFor(deals: GraphDeal[], expected: ExpectedDeal): GraphDeal | undefined {
  const what = new Set(expected.what.toLowerCase().split(/[^a-z0-9]+/));
  return deals.find((d) =>
    String(d.properties.normalized_name)
      .split(" ")
      .every((word) => what.has(word)),
  );
}

beforeAll(async () => {
  await migratedPostgres(config);
  graph = await connectGraph(config, "deals");
  db = createDatabase({ url: config.postgres.url, applicationName: "deal-pipeline-corpus-test" });
  owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "deal-pipeline-corpus-test-owner" });
  listener = new pg.Client({ connectionString: config.postgres.url });
  await listener.connect();
  listener.on("notification", (message) => forecastNotifications.push(message.payload ?? ""));
  await listener.query("LISTEN opportunity_forecast_inputs");
  pipeline = dealPipeline(config, graph, db);
  corpus = await corpusInFreshTenants();
  for (const entry of corpus.entries) results.set(entry.name, await pipeline.process(accepted(entry.envelope)));
});

afterAll(async () => {
  await deleteTenantData(config, [graph], Object.values(corpus?.tenants ?? {}));
  await listener.end();
  await Promise.all([graph.close(), db.destroy(), owner.destroy()]);
});

const ourNotifications = () => forecastNotifications.filter((payload) => Object.values(corpus.tenants).some((t) => payload.includes(t)));

describe("the deal pipeline over the sample corpus", () => {
  it("processes every envelope without errors and projects each", () => {
    for (const [name, result] of results) {
      expect({ name, status: result.status, errors: result.errors, projection: result.projection.status }).toEqual({
        name,
        status: "processed",
        errors: [],
        projection: "projected",
      });
    }
  });

  it("yields exactly the expected Northwind deals, the first one updated by later calls with versions", async () => {
    const expected = (corpus.expected["A/acct-northwind"] as { deals: ExpectedDeal[] }).deals;
    const deals = (await graphDeals(tenantA())).filter((d) => d.account === "acct-northwind");
    expect(deals).toHaveLength(expected.length);
    const seen = new Set<string>();
    for (const want of expected) {
      const deal = dealFor(deals, want);
      expect({ want: want.what, found: deal?.properties.name ?? null }).toEqual({ want: want.what, found: expect.any(String) });
      if (!deal) continue;
      seen.add(deal.id);
      const amount = Number(deal.properties.amount);
      expect(amount).toBeGreaterThanOrEqual(want.amount_range_usd[0]);
      expect(amount).toBeLessThanOrEqual(want.amount_range_usd[1]);
      expect(deal.properties.currency).toBe("USD");
      if (want.economic_buyer) expect(String(deal.properties.meddic_economic_buyer)).toContain(want.economic_buyer);
      if (want.champion) expect(String(deal.properties.meddic_champion)).toContain(want.champion);
      expect(deal.links).toContainEqual({ interaction: interactionOf(want.created_by), relation: "created" });
      expect(String(deal.properties.opportunity_id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(deal.properties.deal_ref).toBe(`deal_${deal.id.replace(/-/g, "").slice(-16)}`);
    }
    expect(seen.size).toBe(expected.length);

    // Every later call the manifest lists updated the deal, each leaving a version behind.
    for (const want of expected.filter((d) => (d.updated_by ?? []).length > 0)) {
      const deal = dealFor(deals, want);
      const updates = want.updated_by ?? [];
      for (const call of updates) expect(deal?.links).toContainEqual({ interaction: interactionOf(call), relation: "updated" });
      expect(deal?.versions).toEqual(updates.map((_, i) => i + 1));
      expect(deal?.properties.version_number).toBe(updates.length + 1);
    }
  });

  it("stamps deal_count on each interaction as the manifest lists", async () => {
    const want = (corpus.expected["A/acct-northwind"] as { deal_count_per_interaction: Record<string, number> }).deal_count_per_interaction;
    const counts = await dealCounts(tenantA());
    for (const [prefix, count] of Object.entries(want)) expect({ prefix, count: counts[interactionOf(prefix)] }).toEqual({ prefix, count });
    for (const [name, result] of results) {
      const entry = entryNamed(name);
      const tenantCounts = entry.tenantKey === "A" ? counts : await dealCounts(tenantB());
      expect(tenantCounts[String(entry.envelope.interaction_id)]).toBe(result.dealCount);
    }
  });

  it("keeps Harbor Dental's deal apart from Northwind's", async () => {
    const deals = await graphDeals(tenantA());
    const harbor = deals.filter((d) => d.account === "acct-harbor-dental");
    expect(harbor).toHaveLength(1);
    expect(harbor[0]?.properties.name).toMatch(/clinic analytics subscription/i);
    expect(harbor[0]?.links.map((l) => l.interaction)).toEqual([interactionOf("harbor-01")]);
  });

  it("isolates the tenants: each sees only its own deals, in the graph and in Postgres", async () => {
    const a = await graphDeals(tenantA());
    const b = await graphDeals(tenantB());
    expect(b).toHaveLength(1);
    expect(b[0]?.account).toBe("acct-northwind");
    expect(b[0]?.links.map((l) => l.interaction)).toEqual([interactionOf("northwind-canada-01")]);
    const idsA = new Set(a.map((d) => d.id));
    expect(b.some((d) => idsA.has(d.id))).toBe(false);

    const rowsA = await projection(tenantA());
    const rowsB = await projection(tenantB());
    expect(rowsB.opportunities.map((r) => r.graph_opportunity_id)).toEqual(b.map((d) => d.id));
    expect(rowsA.opportunities.map((r) => r.graph_opportunity_id)).toEqual(a.map((d) => d.id));
    expect(rowsB.interactions.map((r) => r.interaction_id)).toEqual([interactionOf("northwind-canada-01")]);
  });

  it("agrees with Postgres deal for deal, version for version", async () => {
    for (const tenantId of [tenantA(), tenantB()]) {
      const deals = await graphDeals(tenantId);
      const rows = await projection(tenantId);
      expect(rows.opportunities).toHaveLength(deals.length);
      for (const deal of deals) {
        const row = rows.opportunities.find((r) => r.graph_opportunity_id === deal.id);
        const p = deal.properties;
        expect(row).toMatchObject({
          tenant_id: tenantId,
          deal_ref: p.deal_ref,
          name: p.name,
          account_id: p.account_id,
          currency: p.currency,
          latest_ai_summary: p.summary,
          ai_evolution_summary: p.evolution_summary ?? null,
          extraction_version: p.version_number,
          source_interaction_id: p.source_interaction_id,
        });
        for (const field of MEDDIC_FIELDS) expect(row?.[`meddic_${field}`]).toBe(p[`meddic_${field}`] ?? null);
        for (const dim of ONTOLOGY_DIMENSIONS) expect(row?.[`dim_${dim}`]).toBe(p[`dim_${dim}`] ?? null);
        expect(row?.meddic_completeness).toBeCloseTo(Number(p.meddic_completeness), 5);
        expect(row?.ontology_completeness).toBeCloseTo(Number(p.ontology_completeness), 5);
        expect(row?.extraction_embedding).toHaveLength(config.embeddings.dimension);
        // Both sides hold 32-bit floats: the projected vector is the graph's, bit for bit.
        expect((row?.extraction_embedding as number[]).map(Math.fround)).toEqual(deal.embedding.map(Math.fround));
        expect(rows.versions.filter((v) => v.opportunity_id === deal.id).map((v) => v.version_number)).toEqual(deal.versions);
        const links = rows.links.filter((l) => l.entity_id === deal.id).map((l) => ({ interaction: l.interaction_id, relation: l.relation }));
        expect(links.sort((x, y) => x.interaction.localeCompare(y.interaction))).toEqual(
          [...deal.links].sort((x, y) => x.interaction.localeCompare(y.interaction)),
        );
      }
      const counts = await dealCounts(tenantId);
      expect(Object.fromEntries(rows.interactions.map((r) => [r.interaction_id, r.deal_count]))).toEqual(counts);
    }
  });

  it("snapshots each version before the update, valid until the call that changed it", async () => {
    const rows = await projection(tenantA());
    const fleet = rows.opportunities.find((r) => /fleet telemetry/i.test(r.name ?? ""));
    const versions = rows.versions.filter((v) => v.opportunity_id === fleet?.graph_opportunity_id);
    const at = (prefix: string) => new Date(entryNamed(prefix).envelope.timestamp).toISOString();
    expect(versions.map((v) => [v.version_number, v.change_source_interaction_id, v.valid_from.toISOString(), v.valid_until?.toISOString()])).toEqual([
      [1, interactionOf("northwind-02"), at("northwind-01"), at("northwind-02")],
      [2, interactionOf("northwind-03"), at("northwind-02"), at("northwind-03")],
    ]);
    expect(versions[0]).toMatchObject({ stage: "qualification" });
    expect(Number(versions[0]?.amount)).toBe(420000);
    expect(versions[0]?.changed_fields).toEqual(expect.arrayContaining(["stage", "amount"]));
    for (const version of versions) expect(version.changed_fields.every((f) => !/summary|confidence|evidence|_at$/.test(f))).toBe(true);
    // The narrative grew by one dated entry per update.
    expect(fleet?.ai_evolution_summary).toMatch(new RegExp(`^${at("northwind-02").slice(0, 10)}: .* ${at("northwind-03").slice(0, 10)}: `));
  });

  it("never writes a CRM- or forecast-owned column, and never fires the forecast trigger", async () => {
    for (const tenantId of [tenantA(), tenantB()]) {
      const rows = await projection(tenantId);
      for (const row of rows.opportunities) {
        for (const column of PROTECTED_OPPORTUNITY_COLUMNS) {
          expect({ column, value: row[column] }).toEqual({ column, value: column === "forecast_count" ? 0 : null });
        }
      }
    }
    expect(ourNotifications()).toEqual([]);
  });

  it("changes nothing when the whole series is replayed, and keeps a CRM rename", async () => {
    const fleet = (await graphDeals(tenantA())).find((d) => d.properties.normalized_name === "fleet telemetry analytics platform");
    await withTenant(owner, tenantA(), (trx) =>
      trx
        .updateTable("opportunities")
        .set({ name: "Northwind — Fleet Analytics (CRM)" })
        .where("graph_opportunity_id", "=", fleet?.id ?? "")
        .execute(),
    );
    const graphBefore = [await graphDeals(tenantA()), await graphDeals(tenantB()), await dealCounts(tenantA())];
    const rowsBefore = await projection(tenantA());
    for (const entry of corpus.entries) {
      const replay = await pipeline.process(accepted(entry.envelope));
      expect({ name: entry.name, status: replay.status, llm: replay.llm.calls }).toEqual({ name: entry.name, status: "already_applied", llm: 0 });
    }
    expect([await graphDeals(tenantA()), await graphDeals(tenantB()), await dealCounts(tenantA())]).toEqual(graphBefore);
    const rowsAfter = await projection(tenantA());
    expect(withoutWriteTimes(rowsAfter.opportunities)).toEqual(withoutWriteTimes(rowsBefore.opportunities));
    expect(withoutWriteTimes(rowsAfter.versions)).toEqual(withoutWriteTimes(rowsBefore.versions));
    expect(withoutWriteTimes(rowsAfter.links)).toEqual(withoutWriteTimes(rowsBefore.links));
    expect(withoutWriteTimes(rowsAfter.interactions)).toEqual(withoutWriteTimes(rowsBefore.interactions));
    expect(rowsAfter.opportunities.find((r) => r.graph_opportunity_id === fleet?.id)?.name).toBe("Northwind — Fleet Analytics (CRM)");
    expect(ourNotifications()).toEqual([]);
  });

  it("would have seen the trigger fire: a CRM update of a protected column notifies the listener", async () => {
    const [row] = (await projection(tenantA())).opportunities;
    await withTenant(owner, tenantA(), (trx) =>
      trx
        .updateTable("opportunities")
        .set({ stage: "proposal" })
        .where("graph_opportunity_id", "=", row?.graph_opportunity_id ?? "")
        .execute(),
    );
    const deadline = Date.now() + 5_000;
    while (ourNotifications().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ourNotifications()).toHaveLength(1);
  });
});
