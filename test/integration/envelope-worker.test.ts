import { randomUUID } from "node:crypto";
import type { Config } from "@dealgraph/config";
import { TransientError } from "@dealgraph/errors";
import { DeadLetters, EnvelopeProducer, pipelineQueues, createRedisConnection } from "@dealgraph/queues";
import { ApiKeys, InboxRepository, createDatabase, envelopeContentHash, type Database } from "@dealgraph/store";
import { EnvelopeWorker, WorkerMetrics } from "@dealgraph/worker-runtime";
import { Queue } from "bullmq";
import { sql, type Kysely } from "kysely";
import { deleteTenantData, silentLogger } from "../support/pipelines";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * The worker runtime in-process against the real Redis and Postgres: retries of a retryable
 * failure end in the dead-letter queue after exactly JOB_ATTEMPTS; and the API-key table is
 * out of the application role's reach.
 */

const base = testConfig();
const config: Config = {
  ...base,
  redis: { ...base.redis, queuePrefix: `{dealgraph-worker-test-${randomUUID().slice(0, 8)}}` },
  workers: { ...base.workers, attempts: 3, backoffMs: 50, orderingWindowMs: 0, stalledIntervalMs: 3000 },
};
let db: Kysely<Database>;
const tenantId = freshTenantId();

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "envelope-worker-test" });
});

afterAll(async () => {
  await deleteTenantData(config, [], [tenantId]);
  await db.destroy();
});

describe("EnvelopeWorker", () => {
  it("retries a retryable failure with backoff and dead-letters it after the last attempt", async () => {
    const inbox = new InboxRepository(db);
    const interactionId = randomUUID();
    const envelope = {
      schema_version: "v1",
      tenant_id: tenantId,
      account_id: "acct-retry",
      interaction_id: interactionId,
      interaction_type: "note",
      content: { text: "A note long enough to be processed by the pipelines of the fleet.", format: "plain" },
      timestamp: "2026-05-01T10:00:00Z",
      source: "api",
    };
    await inbox.accept({
      tenantId,
      interactionId,
      accountId: "acct-retry",
      occurredAt: "2026-05-01T10:00:00Z",
      envelope,
      contentHash: envelopeContentHash(envelope),
      runs: [
        { pipeline: "action_items", skippedBecause: "not under test" },
        { pipeline: "deals", skippedBecause: null },
      ],
    });
    const connection = { url: config.redis.url };
    const redis = createRedisConnection(config.redis, "worker-test");
    let calls = 0;
    const worker = new EnvelopeWorker({
      pipeline: "deals",
      config,
      connection,
      redis,
      inbox,
      process: () => {
        calls += 1;
        return Promise.reject(new TransientError("the graph is down"));
      },
      logger: silentLogger,
      metrics: new WorkerMetrics(),
    });
    worker.start();
    const producer = new EnvelopeProducer(connection, config);
    await producer.enqueue({ tenant_id: tenantId, interaction_id: interactionId }, ["deals"]);

    const deadline = Date.now() + 30_000;
    while ((await inbox.get(tenantId, interactionId))?.runs.deals?.status !== "dead" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await worker.close();
    const letters = new DeadLetters(connection, config, ["action_items", "deals"]);
    const [letter] = await letters.list(["deals"]);
    expect(calls).toBe(3);
    expect(letter).toMatchObject({
      attempts: 3,
      error: "the graph is down",
      code: "TRANSIENT",
      payload: { tenant_id: tenantId, interaction_id: interactionId },
    });
    expect((await inbox.get(tenantId, interactionId))?.runs.deals?.status).toBe("dead");
    await letters.purge("deals");
    await Promise.all([letters.close(), producer.close()]);
    const queue = new Queue(pipelineQueues("deals").queue, { connection, prefix: config.redis.queuePrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });
});

describe("API keys", () => {
  it("are stored as hashes the application role cannot read, only check", async () => {
    const keys = new ApiKeys(db);
    const { key } = await keys.create(tenantId, "test");
    expect(await keys.tenantOf(key)).toBe(tenantId);
    expect(await keys.tenantOf(`${key}x`)).toBeNull();
    await expect(sql`select key_hash from api_keys`.execute(db)).rejects.toThrow(/permission denied/);
  });
});
