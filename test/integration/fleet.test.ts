import type { GraphClient } from "@dealgraph/graph";
import { ApiKeys, createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { TestFleet, accountEnvelope as envelope, pipelineStatuses, pricingCall as call } from "../support/fleet";
import { corpusInFreshTenants, deleteTenantData, SuiteTenants } from "../support/pipelines";
import type { RunningApp } from "../support/processes";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";
import { appliedOrder, dealsOf, killedWorkerScenario, perAccountOrderScenario, type FleetScenarioContext } from "../support/fleet-scenarios";

/*
 * The fleet as it runs: the api and separate worker processes on real Redis, Postgres and
 * Neo4j. Per-account order with several workers, a worker killed mid-job, jobs lost with Redis,
 * and a corpus posted twice.
 */

// Real processes start, recover and settle in seconds, not milliseconds.
jest.setTimeout(180_000);

const config = testConfig();
const fleet = new TestFleet(config);
const suite = new SuiteTenants();
let db: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let apiKeys: ApiKeys;
let workers: RunningApp[] = [];

async function keyFor(tenantId: string): Promise<string> {
  return (await apiKeys.create(tenantId, "fleet test")).key;
}

const scenario = (): FleetScenarioContext => ({ fleet, db, dealGraph, aiGraph, workers, keyFor, startWorkers, stopWorkers });

async function startWorkers(deals: number, actionItems: number): Promise<void> {
  for (let i = 0; i < deals; i += 1) workers.push(await fleet.startWorker("deals"));
  for (let i = 0; i < actionItems; i += 1) workers.push(await fleet.startWorker("action_items"));
}

async function stopWorkers(): Promise<void> {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
}

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "fleet-test" });
  apiKeys = new ApiKeys(db);
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  await fleet.startApi({ SWEEPER_INTERVAL_MS: "1000", SWEEPER_MIN_AGE_MS: "2000" });
}, 120_000);

afterAll(async () => {
  await fleet.stop();
  await deleteTenantData(config, [dealGraph, aiGraph], suite.ids);
  await Promise.all([db.destroy(), dealGraph.close(), aiGraph.close()]);
}, 120_000);

describe("the fleet", () => {
  it("applies twenty envelopes of one account in timestamp order across four workers, while other accounts proceed", () =>
    perAccountOrderScenario(scenario(), suite.next()));

  it("recovers a job whose worker was killed mid-job, with no duplicate node, version or row", () => killedWorkerScenario(scenario(), suite.next()));

  it("drains on SIGTERM: the job in hand finishes before the worker exits, and nothing is retried", async () => {
    const tenantId = suite.next();
    const key = await keyFor(tenantId);
    // Held for 3 s after its graph write, so SIGTERM surely arrives while the job is in hand.
    const worker = await fleet.startWorker("deals", { WORKER_TEST_HOLD_AFTER_WRITE_MS: "3000" });
    const sent = envelope(tenantId, "acct-drain", Date.parse("2026-08-15T09:00:00Z"), call(150_000));
    await fleet.post(sent, key);
    const deadline = Date.now() + 30_000;
    while ((await appliedOrder(dealGraph, tenantId, "acct-drain")).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await fleet.queues.deals.getActiveCount()).toBe(1);
    // No other deal worker runs: if the job were dropped, nothing would finish it.
    expect(await worker.stop()).toBe(0);
    expect((await pipelineStatuses(db, tenantId, sent.interaction_id)).get(sent.interaction_id)?.deals).toBe("done");
    const job = await fleet.queues.deals.getJob(`${tenantId}.${sent.interaction_id}`);
    expect(job?.attemptsMade ?? 1).toBe(1);
    expect(await dealsOf(dealGraph, tenantId, "acct-drain")).toEqual([expect.objectContaining({ version: 1, amount: 150_000 })]);
    workers.push(await fleet.startWorker("action_items"));
    await fleet.settled(db, tenantId, 1);
    await stopWorkers();
  });

  it("re-enqueues envelopes whose jobs Redis lost, and each completes once", async () => {
    const tenantId = suite.next();
    const key = await keyFor(tenantId);
    const start = Date.parse("2026-09-01T09:00:00Z");
    const sent = Array.from({ length: 3 }, (_, i) => envelope(tenantId, "acct-lost", start + i * 3_600_000, call(300_000 + i * 1_000)));
    for (const e of sent) await fleet.post(e, key);
    // Redis loses the waiting jobs (a restart without persistence, or a flush).
    expect(await fleet.loseRedisData()).toBeGreaterThan(0);
    for (const e of sent) expect(await fleet.queues.deals.getJob(`${tenantId}.${e.interaction_id}`)).toBeUndefined();
    await startWorkers(1, 1);
    await fleet.settled(db, tenantId, 3, 60_000);
    expect(await dealsOf(dealGraph, tenantId, "acct-lost")).toEqual([expect.objectContaining({ version: 3, versions: 2, amount: 302_000 })]);
    expect(await appliedOrder(aiGraph, tenantId, "acct-lost")).toHaveLength(3);
    await stopWorkers();
  });

  it("ends in the same state when the corpus is posted twice", async () => {
    const corpus = await corpusInFreshTenants();
    suite.ids.push(...Object.values(corpus.tenants));
    const keys = Object.fromEntries(await Promise.all(Object.entries(corpus.tenants).map(async ([k, t]) => [k, await keyFor(t)])));
    await startWorkers(1, 1);
    const postAll = async () => {
      for (const entry of corpus.entries) await fleet.post(entry.envelope, keys[entry.tenantKey] ?? "");
      for (const tenantId of Object.values(corpus.tenants)) {
        await fleet.settled(db, tenantId, corpus.entries.filter((e) => e.envelope.tenant_id === tenantId).length);
      }
    };
    const snapshot = async () =>
      Promise.all(
        Object.values(corpus.tenants).map(async (tenantId) => ({
          deals: await dealGraph.read(async (tx) =>
            (await tx.run("MATCH (n {tenant_id: $tenantId}) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label", { tenantId })).records.map((r) =>
              r.toObject(),
            ),
          ),
          items: await aiGraph.read(async (tx) =>
            (await tx.run("MATCH (n {tenant_id: $tenantId}) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label", { tenantId })).records.map((r) =>
              r.toObject(),
            ),
          ),
          rows: await withTenant(db, tenantId, async (trx) => ({
            opportunities: (await trx.selectFrom("opportunities").select("id").execute()).length,
            items: (await trx.selectFrom("action_items").select("action_item_id").execute()).length,
            versions: (await trx.selectFrom("action_item_versions").select("version_id").execute()).length,
          })),
        })),
      );
    await postAll();
    const once = await snapshot();
    await postAll();
    expect(await snapshot()).toEqual(once);
    await stopWorkers();
  });

  it("dead-letters a job that cannot succeed, and a CLI replay processes it once it is fixed", async () => {
    const tenantId = suite.next();
    const key = await keyFor(tenantId);
    const sent = envelope(tenantId, "acct-dlq", Date.parse("2026-10-01T09:00:00Z"), call(400_000));
    expect((await fleet.post(sent, key)).status).toBe(202);
    // The stored envelope is damaged behind the api's back: no retry can fix that.
    await fleet.setStoredEnvelope(tenantId, sent.interaction_id, { ...sent, timestamp: "not a time" });
    await startWorkers(1, 1);
    const id = `${tenantId}.${sent.interaction_id}`;
    expect(await fleet.inboxReaches(db, tenantId, sent.interaction_id, { deals: "dead", action_items: "dead" })).toEqual({
      deals: "dead",
      action_items: "dead",
    });

    const env = { QUEUE_PREFIX: fleet.prefix };
    const listed = await dealgraph(["dlq", "list", "--json"], env);
    expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: "" });
    const letters = JSON.parse(listed.stdout) as Array<{ pipeline: string; job_id: string; code: string; attempts: number; stack: string | null }>;
    expect(letters.map((l) => [l.pipeline, l.job_id, l.code]).sort()).toEqual([
      ["action_items", id, "VALIDATION_FAILED"],
      ["deals", id, "VALIDATION_FAILED"],
    ]);
    // Not retryable: one attempt, not JOB_ATTEMPTS.
    expect(letters.every((l) => l.attempts === 1 && (l.stack ?? "").length > 0)).toBe(true);

    await fleet.setStoredEnvelope(tenantId, sent.interaction_id, sent);
    for (const pipeline of ["deals", "action_items"]) {
      const replay = await dealgraph(["dlq", "replay", id, "--pipeline", pipeline], env);
      expect({ pipeline, code: replay.code, err: replay.stderr }).toEqual({ pipeline, code: 0, err: "" });
    }
    await fleet.settled(db, tenantId, 1);
    expect(await dealsOf(dealGraph, tenantId, "acct-dlq")).toEqual([expect.objectContaining({ version: 1, amount: 400_000 })]);
    const after = await dealgraph(["dlq", "list", "--json"], env);
    expect({ code: after.code, stderr: after.stderr, letters: after.code === 0 ? JSON.parse(after.stdout) : after.stdout }).toEqual({
      code: 0,
      stderr: "",
      letters: [],
    });
    await stopWorkers();
  });
});
