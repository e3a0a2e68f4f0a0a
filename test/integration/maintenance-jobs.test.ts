import { randomUUID } from "node:crypto";
import type { GraphClient } from "@dealgraph/graph";
import { QUEUE_NAMES, closeQuietly, enqueueRiskRefresh, openQueue } from "@dealgraph/queues";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Queue } from "bullmq";
import type { Kysely } from "kysely";
import { freePort } from "../support/free-port";
import { accepted, actionItemPipeline, corpusInFreshTenants, dealPipeline, deleteTenantData, type FreshCorpus } from "../support/pipelines";
import { startApp, type RunningApp } from "../support/processes";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * Reconcile and backfill as jobs an operator can watch: `--queue` puts them on the reconciler's
 * queue (one per kind and tenant at a time), the reconciler process runs them, reports progress
 * through BullMQ, and records the run as a direct one would.
 */

jest.setTimeout(180_000);

const config = testConfig();
const prefix = `{dealgraph-maintenance-${randomUUID().slice(0, 8)}}`;
const env = { QUEUE_PREFIX: prefix };
let dealGraph: GraphClient;
let itemGraph: GraphClient;
let db: Kysely<Database>;
let corpus: FreshCorpus;
let queue: Queue;
let riskQueue: Queue;
let reconciler: RunningApp | undefined;
let tenantId = "";

beforeAll(async () => {
  await migratedPostgres(config);
  [dealGraph, itemGraph] = await Promise.all([connectGraph(config, "deals"), connectGraph(config, "action_items")]);
  db = createDatabase({ url: config.postgres.url, applicationName: "maintenance-jobs-test" });
  corpus = await corpusInFreshTenants();
  const [entry] = corpus.entries;
  tenantId = entry!.envelope.tenant_id;
  await dealPipeline(config, dealGraph, db).process(accepted(entry!.envelope));
  await actionItemPipeline(config, itemGraph, db).process(accepted(entry!.envelope));
  queue = openQueue(QUEUE_NAMES.reconcile, { connection: { url: config.redis.url }, prefix });
  riskQueue = openQueue(QUEUE_NAMES.riskSignals, { connection: { url: config.redis.url }, prefix });
});

afterAll(async () => {
  await reconciler?.stop();
  await queue.obliterate({ force: true });
  await riskQueue.obliterate({ force: true });
  await closeQuietly(queue);
  await closeQuietly(riskQueue);
  await deleteTenantData(config, [dealGraph, itemGraph], Object.values(corpus?.tenants ?? {}));
  await Promise.all([dealGraph.close(), itemGraph.close(), db.destroy()]);
});

async function finished(id: string, on: Queue = queue): Promise<{ state: string; result: unknown; progress: unknown }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const state = await on.getJobState(id);
    if (state === "completed" || state === "failed" || Date.now() > deadline) {
      const job = await on.getJob(id);
      return { state, result: job?.returnvalue, progress: job?.progress };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("queues one reconcile per tenant at a time, runs it in the reconciler with progress, and records it", async () => {
  const first = await dealgraph(["reconcile", "--queue", "--tenant", tenantId, "--json"], env);
  expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: "" });
  const { job_id: id, state } = JSON.parse(first.stdout) as { job_id: string; state: string };
  expect(state).toBe("waiting");
  // Nothing runs it yet: a second request is the same job.
  const again = JSON.parse((await dealgraph(["reconcile", "--queue", "--tenant", tenantId, "--json"], env)).stdout) as { job_id: string };
  expect(again.job_id).toBe(id);
  expect(await queue.getJobCounts("waiting")).toMatchObject({ waiting: 1 });

  const port = await freePort();
  reconciler = await startApp("reconciler", { ...env, RECONCILER_PORT: String(port), RECONCILE_INTERVAL_MS: "604800000" }, `http://127.0.0.1:${port}/healthz`);
  const done = await finished(id);
  expect(done).toMatchObject({ state: "completed", result: { tenants: 1, reconciled: 1, drift: 0 }, progress: { tenants: 1, done: 1, tenant_id: tenantId } });
  const runs = await withTenant(db, tenantId, (trx) => trx.selectFrom("reconcile_runs").select(["drift"]).where("tenant_id", "=", tenantId).execute());
  expect(runs.length).toBeGreaterThanOrEqual(1);
});

it("runs a queued backfill of a tenant and says what it wrote", async () => {
  const queued = await dealgraph(["backfill", "--queue", "--tenant", tenantId, "--json"], env);
  expect(queued.code).toBe(0);
  const { job_id: id } = JSON.parse(queued.stdout) as { job_id: string };
  const done = await finished(id);
  expect(done.state).toBe("completed");
  const written = (done.result as { written: Record<string, Record<string, number>> }).written[tenantId]!;
  expect(Object.values(written).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  expect(done.progress).toMatchObject({ tenants: 1, done: 1 });
});

it("refreshes an account's risk signals from the worker's job on the risk-signals queue, and a tenant's from `dealgraph risk --queue`", async () => {
  const [entry] = corpus.entries;
  const accountId = entry!.envelope.account_id ?? "";
  // What a worker queues once a run is recorded done.
  await enqueueRiskRefresh(riskQueue, { tenantId, accountId, pipeline: "deals", interactionId: String(entry!.envelope.interaction_id) });
  const [job] = await riskQueue.getJobs(["waiting", "active", "completed"]);
  const done = await finished(String(job!.id), riskQueue);
  expect(done).toMatchObject({ state: "completed", result: { tenants: 1, accounts: 1 } });
  const rows = await withTenant(db, tenantId, (trx) => trx.selectFrom("risk_signals").select(["code", "status"]).where("account_id", "=", accountId).execute());
  // The reconciler's first scheduled sweep, at its start, may have raised them before this job ran.
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.status === "active")).toBe(true);

  const queued = await dealgraph(["risk", "--queue", "--tenant", tenantId, "--json"], env);
  expect(queued.code).toBe(0);
  const { job_id: id } = JSON.parse(queued.stdout) as { job_id: string };
  // Nothing new since: the sweep of the tenant changes nothing.
  expect(await finished(id, riskQueue)).toMatchObject({ state: "completed", result: { tenants: 1, accounts: 1, changes: 0 } });
});

it("refuses a tenant that is not a UUID before queueing anything", async () => {
  const refused = await dealgraph(["backfill", "--queue", "--tenant", "acme"], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("--tenant must be a UUID");
});
