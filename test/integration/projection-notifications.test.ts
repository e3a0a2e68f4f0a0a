import type { GraphClient } from "@dealgraph/graph";
import { PROJECTION_CHANNEL, createDatabase, withTenant, type Database, type ProjectionNotice } from "@dealgraph/store";
import type { Kysely } from "kysely";
import pg from "pg";
import { accepted, actionItemPipeline, corpusInFreshTenants, dealPipeline, deleteTenantData, type FreshCorpus } from "../support/pipelines";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * The CRM front end LISTENs on `dealgraph_projection` to refresh what the pipelines wrote: after
 * each projection commit it hears the tenant, the kind of record and the graph ids, and nothing
 * it would not find in Postgres by then.
 */

jest.setTimeout(120_000);

const config = testConfig();
let dealGraph: GraphClient;
let itemGraph: GraphClient;
let db: Kysely<Database>;
let listener: pg.Client;
let corpus: FreshCorpus;
const notices: ProjectionNotice[] = [];

beforeAll(async () => {
  await migratedPostgres(config);
  [dealGraph, itemGraph] = await Promise.all([connectGraph(config, "deals"), connectGraph(config, "action_items")]);
  db = createDatabase({ url: config.postgres.url, applicationName: "projection-notifications-test" });
  listener = new pg.Client({ connectionString: config.postgres.url });
  await listener.connect();
  listener.on("notification", (message) => notices.push(JSON.parse(message.payload ?? "{}") as ProjectionNotice));
  await listener.query(`LISTEN ${PROJECTION_CHANNEL}`);
  corpus = await corpusInFreshTenants();
});

afterAll(async () => {
  await deleteTenantData(config, [dealGraph, itemGraph], Object.values(corpus?.tenants ?? {}));
  await listener.end();
  await Promise.all([dealGraph.close(), itemGraph.close(), db.destroy()]);
});

async function heard(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!predicate() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

const idsOf = (tenantId: string, kind: string) => new Set(notices.filter((n) => n.tenant_id === tenantId && n.kind === kind).flatMap((n) => n.ids));

it("names every interaction, opportunity, action item and topic a processed envelope projected", async () => {
  const entries = corpus.entries.filter((entry) => entry.tenantKey === corpus.entries[0]!.tenantKey).slice(0, 3);
  const tenantId = entries[0]!.envelope.tenant_id;
  const deals = dealPipeline(config, dealGraph, db);
  const items = actionItemPipeline(config, itemGraph, db);
  for (const entry of entries) {
    const interactionId = String(entry.envelope.interaction_id);
    await deals.process(accepted(entry.envelope));
    await items.process(accepted(entry.envelope));
    await heard(() => notices.filter((n) => n.kind === "interaction" && n.ids.includes(interactionId)).length >= 2);

    // Both pipelines wrote the interaction's row, and each said so once it was committed.
    expect(notices.filter((n) => n.kind === "interaction" && n.ids.includes(interactionId))).toHaveLength(2);
    const linked = await withTenant(db, tenantId, (trx) =>
      trx.selectFrom("interaction_links").select(["entity_type", "entity_id"]).where("interaction_id", "=", interactionId).execute(),
    );
    const linkedIds = (type: string) => linked.filter((l) => l.entity_type === type).map((l) => l.entity_id);
    // Everything the envelope touched is named, with the id Postgres has for it.
    for (const id of linkedIds("deal")) expect(idsOf(tenantId, "opportunity")).toContain(id);
    for (const id of linkedIds("action_item")) expect(idsOf(tenantId, "action_item")).toContain(id);
    for (const id of linkedIds("topic")) expect(idsOf(tenantId, "topic")).toContain(id);
    const opportunities = await withTenant(db, tenantId, (trx) => trx.selectFrom("opportunities").select("graph_opportunity_id").execute());
    for (const id of idsOf(tenantId, "opportunity")) expect(opportunities.map((o) => o.graph_opportunity_id)).toContain(id);
    expect(notices.every((n) => n.tenant_id === tenantId)).toBe(true);
  }
  expect(idsOf(tenantId, "action_item").size + idsOf(tenantId, "opportunity").size).toBeGreaterThan(0);
});
