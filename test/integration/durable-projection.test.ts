import { pipelines } from "@dealgraph/pipelines";
import type { GraphClient } from "@dealgraph/graph";
import { Reconciler } from "@dealgraph/reconciliation";
import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { TestFleet } from "../support/fleet";
import { corpusInFreshTenants, deleteTenantData, silentLogger, type FreshCorpus } from "../support/pipelines";
import { connectGraph, migratedPostgres, startPostgres, stopPostgres, testConfig } from "../support/services";

/*
 * Graph first, projection second (DESIGN §2): Postgres stops while the fleet is processing the
 * corpus. The graph writes in flight complete, their projections go to the retry path, the
 * jobs that still need Postgres wait without spending attempts, and once Postgres is back every
 * projection lands on its own: the graphs and Postgres agree, id for id.
 */

jest.setTimeout(300_000);

const config = testConfig();
// A model that takes its time, so that envelopes are mid-pipeline when Postgres goes away.
const fleet = new TestFleet(config, {
  LLM_SIMULATED_LATENCY_MS: "1200",
  PROJECTION_BACKOFF_MS: "500",
  PROJECTION_BACKOFF_MAX_MS: "2000",
  ORDERING_WINDOW_MS: "500",
});
let db: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let corpus: FreshCorpus;
let postgresDown = false;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${fleet.apps.map((a) => `--- ${a.name}\n${a.output().slice(-2000)}`).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function processedInteractions(graph: GraphClient, tenantIds: string[]): Promise<number> {
  return graph.read(async (tx) => {
    const result = await tx.run("MATCH (i:Interaction) WHERE i.tenant_id IN $tenantIds AND i.processed_at IS NOT NULL RETURN count(i) AS n", { tenantIds });
    return Number(result.records[0]?.get("n") ?? 0);
  });
}

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "durable-projection-test", onIdleConnectionError: () => undefined });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  corpus = await corpusInFreshTenants();
  await fleet.startApi();
}, 120_000);

afterAll(async () => {
  if (postgresDown) await startPostgres();
  await fleet.stop();
  await deleteTenantData(config, [dealGraph, aiGraph], Object.values(corpus.tenants));
  await Promise.all([db.destroy(), dealGraph.close(), aiGraph.close()]);
}, 120_000);

describe("the projection when Postgres goes away", () => {
  it("keeps every graph write, retries the projections and lands them all once Postgres is back", async () => {
    const tenants = Object.values(corpus.tenants);
    const keys = new ApiKeys(db);
    const keyOf = Object.fromEntries(await Promise.all(tenants.map(async (t) => [t, (await keys.create(t, "durable projection test")).key] as const)));
    for (const entry of corpus.entries) {
      expect((await fleet.post(entry.envelope, keyOf[entry.envelope.tenant_id] ?? "")).status).toBe(202);
    }
    await fleet.startWorker("deals");
    await fleet.startWorker("action_items");
    await until(
      "jobs in flight in both pipelines",
      async () => (await fleet.queues.deals.getActiveCount()) > 0 && (await fleet.queues.action_items.getActiveCount()) > 0,
    );
    const before = { deals: await processedInteractions(dealGraph, tenants), ai: await processedInteractions(aiGraph, tenants) };

    await stopPostgres();
    postgresDown = true;
    // The envelopes already in their pipelines reach the graph with Postgres down...
    await until(
      "graph writes during the outage",
      async () => (await processedInteractions(dealGraph, tenants)) > before.deals && (await processedInteractions(aiGraph, tenants)) > before.ai,
    );
    // ...and their projections wait on the retry path (in Redis) instead of being dropped.
    await until("projections queued for retry", async () => {
      const counts = await Promise.all(Object.values(fleet.projections).map((q) => q.getJobCounts("waiting", "delayed", "active")));
      return counts.some((c) => (c.waiting ?? 0) + (c.delayed ?? 0) + (c.active ?? 0) > 0);
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await startPostgres();
    postgresDown = false;

    for (const tenantId of tenants) {
      await fleet.settled(db, tenantId, corpus.entries.filter((e) => e.envelope.tenant_id === tenantId).length, 180_000);
    }
    await until("the projection retries to drain", async () => {
      const counts = await Promise.all(Object.values(fleet.projections).map((q) => q.getJobCounts("waiting", "delayed", "active", "failed")));
      return counts.every((c) => Object.values(c).every((n) => n === 0));
    });

    // Every envelope applied once per graph, and nothing dead-lettered on the way.
    expect(await processedInteractions(dealGraph, tenants)).toBe(corpus.entries.length);
    expect(await processedInteractions(aiGraph, tenants)).toBe(corpus.entries.length);
    for (const letters of Object.values(fleet.deadLetters)) expect(await letters.getWaitingCount()).toBe(0);
    // A reconcile run finds no drift: counts, ids and content agree, and nothing is orphaned.
    const reconciler = new Reconciler({ graphs: { action_items: aiGraph, deals: dealGraph }, db, catalog: pipelines, logger: silentLogger });
    for (const tenantId of tenants) {
      const report = await reconciler.reconcileTenant(tenantId, { repair: false });
      const drifting = report.kinds.filter((k) => k.missingCount + k.extraCount + k.staleCount > 0);
      expect({ tenantId, drift: report.drift, orphans: report.orphanCount, drifting }).toEqual({ tenantId, drift: 0, orphans: 0, drifting: [] });
      expect(report.kinds.find((k) => k.kind === "action_items")?.graph).toBeGreaterThan(0);
    }
  });
});
