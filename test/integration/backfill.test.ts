import type { GraphClient } from "@dealgraph/graph";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import {
  PROJECTION_TABLES_IN_DELETE_ORDER,
  corpusInFreshTenants,
  deleteTenantData,
  deleteTenantRows,
  processCorpus,
  withoutWriteTimes,
  type FreshCorpus,
} from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * `dealgraph backfill` rebuilds the projection from the graphs: into an empty Postgres it
 * writes, row for row, what live processing wrote; run again it changes nothing; interrupted,
 * it resumes from its checkpoint.
 */

jest.setTimeout(180_000);

const config = testConfig();
let db: Kysely<Database>;
let owner: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let corpus: FreshCorpus;
let tenants: string[];

/** Every projection row of a tenant, in a fixed order, without write timestamps (and the CRM's own row id). */
async function projection(tenantId: string) {
  return withTenant(db, tenantId, async (trx) => ({
    opportunities: withoutWriteTimes(await trx.selectFrom("opportunities").selectAll().orderBy("graph_opportunity_id").execute()).map(
      ({ id: _id, ...row }) => row,
    ),
    deal_versions: withoutWriteTimes(await trx.selectFrom("deal_versions").selectAll().orderBy("version_id").execute()),
    action_items: withoutWriteTimes(await trx.selectFrom("action_items").selectAll().orderBy("action_item_id").execute()),
    action_item_versions: withoutWriteTimes(await trx.selectFrom("action_item_versions").selectAll().orderBy("version_id").execute()),
    topics: withoutWriteTimes(await trx.selectFrom("topics").selectAll().orderBy("topic_id").execute()),
    topic_versions: withoutWriteTimes(await trx.selectFrom("topic_versions").selectAll().orderBy("version_id").execute()),
    owners: withoutWriteTimes(await trx.selectFrom("owners").selectAll().orderBy("owner_id").execute()),
    interactions: withoutWriteTimes(await trx.selectFrom("interactions").selectAll().orderBy("interaction_id").execute()),
    interaction_links: withoutWriteTimes(
      await trx.selectFrom("interaction_links").selectAll().orderBy("interaction_id").orderBy("entity_type").orderBy("entity_id").orderBy("relation").execute(),
    ),
  }));
}

async function backfill(...args: string[]) {
  const run = await dealgraph(["backfill", "--json", ...args]);
  if (run.code !== 0) throw new Error(`backfill failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Array<{ tenant_id: string; written: Record<string, number> }>;
}

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "backfill-test" });
  owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "backfill-test-owner" });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  corpus = await corpusInFreshTenants();
  tenants = Object.values(corpus.tenants);
  await processCorpus(config, { action_items: aiGraph, deals: dealGraph }, db, corpus);
}, 120_000);

afterAll(async () => {
  await deleteTenantData(config, [dealGraph, aiGraph], tenants);
  await Promise.all([db.destroy(), owner.destroy(), dealGraph.close(), aiGraph.close()]);
});

describe("dealgraph backfill", () => {
  it("rebuilds into an empty Postgres the projection live processing wrote, row for row; a second run changes nothing", async () => {
    const live = await Promise.all(tenants.map(projection));
    expect(live[0]?.action_items.length).toBeGreaterThan(0);
    expect(live[0]?.opportunities.length).toBeGreaterThan(0);

    await deleteTenantRows(config, tenants, PROJECTION_TABLES_IN_DELETE_ORDER);
    expect((await projection(tenants[0] ?? "")).action_items).toEqual([]);

    for (const tenantId of tenants) {
      const [result] = await backfill("--tenant", tenantId);
      expect(result?.written.action_items).toBe(live[tenants.indexOf(tenantId)]?.action_items.length);
    }
    expect(await Promise.all(tenants.map(projection))).toEqual(live);

    for (const tenantId of tenants) await backfill("--tenant", tenantId);
    expect(await Promise.all(tenants.map(projection))).toEqual(live);
  });

  it("resumes an interrupted run from its checkpoint, and --since leaves out what has not changed since", async () => {
    const tenantId = tenants[0] ?? "";
    const live = await projection(tenantId);
    await deleteTenantRows(config, [tenantId], PROJECTION_TABLES_IN_DELETE_ORDER);
    // An earlier run stopped after the first half of the action items (and finished the topics and deals).
    const ids = live.action_items.map((row) => row.action_item_id);
    const stoppedAt = ids[Math.floor(ids.length / 2)] ?? "";
    await withTenant(owner, tenantId, (trx) =>
      trx.insertInto("backfill_checkpoints").values({ tenant_id: tenantId, kind: "action_items", since: "", last_id: stoppedAt, rows_written: 0 }).execute(),
    );
    const [resumed] = await backfill("--tenant", tenantId);
    const written = (await projection(tenantId)).action_items.map((row) => row.action_item_id);
    expect(written).toEqual(ids.filter((id) => id > stoppedAt));
    expect(resumed?.written.action_items).toBe(written.length);
    // The finished run leaves no checkpoint behind: the next one starts from the beginning.
    expect(await withTenant(db, tenantId, (trx) => trx.selectFrom("backfill_checkpoints").selectAll().execute())).toEqual([]);
    await backfill("--tenant", tenantId);
    expect(await projection(tenantId)).toEqual(live);

    const [nothingNew] = await backfill("--tenant", tenantId, "--since", new Date(Date.now() + 60_000).toISOString());
    expect(Object.values(nothingNew?.written ?? {}).every((n) => n === 0)).toBe(true);
    expect((await dealgraph(["backfill", "--since", "last tuesday"])).code).toBe(2);
  });
});
