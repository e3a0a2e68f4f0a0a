import { randomUUID } from "node:crypto";
import type { GraphClient } from "@dealgraph/graph";
import { QUEUE_NAMES, closeQuietly, openQueue } from "@dealgraph/queues";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { corpusInFreshTenants, deleteTenantData, processCorpus, type FreshCorpus } from "../support/pipelines";
import { freePort } from "../support/free-port";
import { startApp } from "../support/processes";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * `dealgraph reconcile` against the real graphs and Postgres: drift of every sort is reported
 * by id (a deleted row, an altered value, a missing row paired with an extra one so the counts
 * agree, a row inserted behind the system's back), graph-side orphans are reported, --repair
 * mends the projection, and the next run finds nothing. Every run is recorded.
 */

jest.setTimeout(180_000);

interface KindReport {
  kind: string;
  graph: number;
  postgres: number;
  missing: string[];
  extra: string[];
  stale: string[];
  staleCount: number;
  restamped: number;
  comparison: { method: "checksums" | "full"; rowsRead: number };
}
interface Report {
  tenantId: string;
  drift: number;
  kinds: KindReport[];
  orphans: Array<{ name: string; count: number; ids: string[] }>;
  orphanCount: number;
  repaired: Record<string, { reprojected: number; removed: number }> | null;
}

const config = testConfig();
let db: Kysely<Database>;
let owner: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let corpus: FreshCorpus;
let tenantId: string;

async function reconcile(...args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await dealgraph(["reconcile", "--tenant", tenantId, "--json", ...args]);
  if (!run.stdout) throw new Error(`reconcile printed nothing (exit ${run.code}): ${run.stderr}`);
  const [report] = (JSON.parse(run.stdout) as { tenants: Report[] }).tenants;
  return { code: run.code, report: report as Report, stderr: run.stderr };
}

const kind = (report: Report, name: string) => report.kinds.find((k) => k.kind === name) as KindReport;
const orphansOf = (report: Report) => Object.fromEntries(report.orphans.filter((o) => o.count > 0).map((o) => [o.name, o.ids]));

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "reconcile-test" });
  owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "reconcile-test-owner" });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  corpus = await corpusInFreshTenants();
  tenantId = corpus.tenants.A ?? "";
  await processCorpus(config, { action_items: aiGraph, deals: dealGraph }, db, corpus, [tenantId]);
}, 120_000);

afterAll(async () => {
  await deleteTenantData(config, [dealGraph, aiGraph], Object.values(corpus.tenants));
  await Promise.all([db.destroy(), owner.destroy(), dealGraph.close(), aiGraph.close()]);
});

describe("dealgraph reconcile", () => {
  it("finds a freshly processed tenant in step: counts, ids and content agree, no orphans", async () => {
    const { code, report } = await reconcile();
    expect({ code, drift: report.drift, orphans: report.orphanCount }).toEqual({ code: 0, drift: 0, orphans: 0 });
    for (const name of [
      "deals",
      "deal_versions",
      "action_items",
      "action_item_versions",
      "topics",
      "topic_versions",
      "owners",
      "deal_interactions",
      "action_item_interactions",
    ]) {
      const k = kind(report, name);
      expect({ name, equal: k.graph === k.postgres, some: k.graph > 0 }).toEqual({ name, equal: true, some: true });
    }
  });

  it("reports each kind of drift by id, --repair mends it, and the next run finds none", async () => {
    // Behind the system's back, as the table owner (which may read every tenant: filter by hand):
    const changes = await withTenant(owner, tenantId, async (trx) => {
      // 1. a row deleted
      const dealVersion = await trx
        .selectFrom("deal_versions")
        .select("version_id")
        .where("tenant_id", "=", tenantId)
        .orderBy("version_id")
        .limit(1)
        .executeTakeFirstOrThrow();
      await trx.deleteFrom("deal_versions").where("version_id", "=", dealVersion.version_id).execute();
      // 2. a row altered: a MEDDIC value the graph does not hold
      const deal = await trx
        .selectFrom("opportunities")
        .select("graph_opportunity_id")
        .where("tenant_id", "=", tenantId)
        .where("graph_opportunity_id", "is not", null)
        .orderBy("graph_opportunity_id")
        .limit(1)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("opportunities")
        .set({ meddic_champion: "Somebody the calls never named" })
        .where("graph_opportunity_id", "=", deal.graph_opportunity_id)
        .execute();
      // 3. a missing row paired with an extra row: the counts still agree
      const version = await trx
        .selectFrom("action_item_versions")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .orderBy("version_id")
        .limit(1)
        .executeTakeFirstOrThrow();
      await trx.deleteFrom("action_item_versions").where("version_id", "=", version.version_id).execute();
      const impostor = randomUUID();
      const { created_at: _created, ...copy } = version;
      await trx
        .insertInto("action_item_versions")
        .values({ ...copy, graph_revision: copy.graph_revision === null ? null : Number(copy.graph_revision), version_id: impostor, version_number: 999 })
        .execute();
      // 4. a row with nothing behind it
      const stray = randomUUID();
      await trx
        .insertInto("owners")
        .values({ tenant_id: tenantId, owner_id: stray, name: "Nobody", normalized_name: `nobody ${stray}` })
        .execute();
      return {
        deletedDealVersion: dealVersion.version_id,
        alteredDeal: String(deal.graph_opportunity_id),
        missingVersion: version.version_id,
        impostor,
        stray,
      };
    });
    // Damage in the graph itself: an action item with no owner, topic or interaction, and a topic version with no topic.
    const unlinked = randomUUID();
    const parentless = randomUUID();
    await aiGraph.write(async (tx) => {
      await tx.run("MATCH (n:ActionItem {tenant_id: $tenantId}) WITH properties(n) AS p LIMIT 1 CREATE (m:ActionItem) SET m = p{.*, action_item_id: $id}", {
        tenantId,
        id: unlinked,
      });
      await tx.run(
        "MATCH (v:TopicVersion {tenant_id: $tenantId}) WITH properties(v) AS p LIMIT 1 CREATE (x:TopicVersion) SET x = p{.*, version_id: $id, version_number: 999}",
        {
          tenantId,
          id: parentless,
        },
      );
    });

    const found = await reconcile();
    expect(found.code).toBe(1);
    expect(kind(found.report, "deal_versions")).toMatchObject({ missing: [changes.deletedDealVersion], extra: [], stale: [] });
    expect(kind(found.report, "deals")).toMatchObject({ missing: [], extra: [], stale: [changes.alteredDeal] });
    const versions = kind(found.report, "action_item_versions");
    expect(versions).toMatchObject({ missing: [changes.missingVersion], extra: [changes.impostor], stale: [] });
    expect(versions.graph).toBe(versions.postgres);
    expect(kind(found.report, "owners")).toMatchObject({ missing: [], extra: [changes.stray] });
    expect(kind(found.report, "action_items")).toMatchObject({ missing: [unlinked], extra: [], stale: [] });
    expect(found.report.drift).toBe(6);
    expect(orphansOf(found.report)).toEqual({ action_items_unlinked: [unlinked], topic_versions_without_parent: [parentless] });

    const repaired = await reconcile("--repair");
    expect(repaired.report.repaired).toMatchObject({
      deal_versions: { reprojected: 1 },
      deals: { reprojected: 1 },
      action_item_versions: { reprojected: 1, removed: 1 },
      owners: { removed: 1 },
      action_items: { reprojected: 1 },
    });

    const after = await reconcile();
    expect({ code: after.code, drift: after.report.drift }).toEqual({ code: 0, drift: 0 });
    // The graph's own damage is reported, never "repaired" away.
    expect(orphansOf(after.report)).toEqual({ action_items_unlinked: [unlinked], topic_versions_without_parent: [parentless] });
    const champion = await withTenant(db, tenantId, (trx) =>
      trx.selectFrom("opportunities").select("meddic_champion").where("graph_opportunity_id", "=", changes.alteredDeal).executeTakeFirstOrThrow(),
    );
    expect(champion.meddic_champion).not.toBe("Somebody the calls never named");

    // Every run is on record, with its drift.
    const runs = await withTenant(db, tenantId, (trx) =>
      trx.selectFrom("reconcile_runs").select(["drift", "repair", "orphans"]).orderBy("started_at").execute(),
    );
    expect(runs.slice(-3)).toEqual([
      { drift: 6, repair: false, orphans: 2 },
      { drift: 6, repair: true, orphans: 2 },
      { drift: 0, repair: false, orphans: 2 },
    ]);
  });

  it("compares checksummed ranges: a clean pass reads no row, and only the ranges that differ are read", async () => {
    const clean = await reconcile();
    expect(clean.report.drift).toBe(0);
    for (const k of clean.report.kinds)
      expect({ kind: k.kind, method: k.comparison.method, rowsRead: k.comparison.rowsRead }).toEqual({ kind: k.kind, method: "checksums", rowsRead: 0 });

    // A node from before revisions (none stamped) and a row edited behind the projection's back.
    const [legacy, edited] = await aiGraph.read(async (tx) =>
      (await tx.run("MATCH (n:ActionItem {tenant_id: $tenantId}) RETURN n.action_item_id AS id ORDER BY id LIMIT 2", { tenantId })).records.map((r) =>
        String(r.get("id")),
      ),
    );
    await aiGraph.write((tx) => tx.run("MATCH (n:ActionItem {tenant_id: $tenantId, action_item_id: $id}) REMOVE n.revision", { tenantId, id: legacy }));
    await withTenant(db, tenantId, (trx) => trx.updateTable("action_items").set({ text: "edited in the CRM" }).where("action_item_id", "=", edited!).execute());

    const found = await reconcile();
    const items = kind(found.report, "action_items");
    expect(items).toMatchObject({ stale: [edited], staleCount: 1, missingCount: 0, extraCount: 0, restamped: 1 });
    expect(items.comparison.rowsRead).toBeGreaterThan(0);
    expect(items.comparison.rowsRead).toBeLessThan(items.graph);
    expect(found.report.drift).toBe(1);

    // --full reads every row and finds the same.
    const full = await reconcile("--full");
    expect(kind(full.report, "action_items")).toMatchObject({ stale: [edited], comparison: { method: "full", rowsRead: items.graph } });

    await reconcile("--repair");
    const after = await reconcile();
    expect(after.report.drift).toBe(0);
    // The restamped node and the re-projected row are in step again: nothing left to read.
    for (const k of after.report.kinds) expect({ kind: k.kind, rowsRead: k.comparison.rowsRead }).toEqual({ kind: k.kind, rowsRead: 0 });
  });

  it("runs on its schedule as the reconciler app, records each run and exports the figures", async () => {
    const port = await freePort();
    const before = await withTenant(db, tenantId, (trx) => trx.selectFrom("reconcile_runs").select("run_id").execute());
    const app = await startApp(
      "reconciler",
      { RECONCILER_PORT: String(port), RECONCILE_INTERVAL_MS: "1500", QUEUE_PREFIX: `{dealgraph-reconcile-${randomUUID().slice(0, 8)}}` },
      `http://127.0.0.1:${port}/healthz`,
    );
    try {
      const deadline = Date.now() + 60_000;
      let runs = before.length;
      while (runs < before.length + 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        runs = (await withTenant(db, tenantId, (trx) => trx.selectFrom("reconcile_runs").select("run_id").execute())).length;
      }
      expect(runs).toBeGreaterThanOrEqual(before.length + 2);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      // Other suites' tenants share the database: the run may find drift of theirs.
      expect(metrics).toMatch(/dealgraph_reconcile_runs_total\{outcome="(clean|drift)"\} [1-9]/);
      expect(metrics).toMatch(/dealgraph_reconcile_tenants [1-9]/);
      expect(metrics).toMatch(/dealgraph_reconcile_drift\{kind="action_items",difference="missing"\} \d+/);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      expect(await app.stop()).toBe(0);
    }
  });

  it("stops between tenants on SIGTERM instead of finishing a run over every tenant", async () => {
    // Enough tenants (an interaction each) that a run is still going when the signal lands.
    const idle = Array.from({ length: 150 }, () => randomUUID());
    await aiGraph.write((tx) => tx.run("UNWIND $idle AS t CREATE (:Interaction {tenant_id: t, interaction_id: randomUUID()})", { idle }));
    const prefix = `{dealgraph-reconcile-${randomUUID().slice(0, 8)}}`;
    const queue = openQueue(QUEUE_NAMES.reconcile, { connection: { url: config.redis.url }, prefix });
    const port = await freePort();
    const app = await startApp(
      "reconciler",
      { RECONCILER_PORT: String(port), RECONCILE_INTERVAL_MS: "600000", QUEUE_PREFIX: prefix },
      `http://127.0.0.1:${port}/healthz`,
    );
    try {
      let progress = 0;
      const deadline = Date.now() + 60_000;
      while (progress === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const [active] = await queue.getActive();
        // The reconciler reports `{ tenants, done, tenant_id, percent }` after each tenant.
        progress = (active?.progress as { percent?: number } | undefined)?.percent ?? 0;
      }
      expect(progress).toBeGreaterThan(0);
      expect(progress).toBeLessThan(50);
      // A grace period far shorter than the whole run: the app must not be killed.
      expect(await app.stop(10_000)).toBe(0);
      const [finished] = await queue.getCompleted();
      expect(finished?.returnvalue).toMatchObject({ interrupted: true });
      const result = finished?.returnvalue as { tenants: number; reconciled: number };
      expect(result.reconciled).toBeGreaterThan(0);
      expect(result.reconciled).toBeLessThan(result.tenants);
    } finally {
      await app.kill();
      await queue.obliterate({ force: true });
      await closeQuietly(queue);
      await deleteTenantData(config, [aiGraph], idle);
    }
  });
});
