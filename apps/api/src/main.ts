import { pipelines } from "@dealgraph/pipelines";
import {
  EnvelopeIntake,
  EnvelopeProducer,
  bullConnection,
  closeBullConnection,
  closeQuietly,
  listenForKeyRevocations,
  openPipelineQueues,
} from "@dealgraph/queues";
import { ApiKeys, InboxRepository, connectDatabase, pingDatabase } from "@dealgraph/store";
import { WebhookEndpoints } from "@dealgraph/webhooks";
import { runMain, startService, stopOnSignals } from "@dealgraph/worker-runtime";
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildApi } from "./build-api";
import { InboxSweeper } from "./inbox-sweeper";

/** A refused key is refused again from memory for this long: a client retrying a bad key costs no database call. */
const KEY_REFUSED_TTL_MS = 5_000;
const KEY_USAGE_INTERVAL_MS = 60_000;

const { version } = JSON.parse(readFileSync(path.resolve(__dirname, "../package.json"), "utf8")) as { version: string };

async function main(): Promise<void> {
  const { config, logger, redis } = await startService("api");
  const db = connectDatabase(config, "api", logger);
  const connection = bullConnection(config.redis, "api");
  const redisError = (error: Error) => logger.warn({ err: error.message }, "redis connection error");
  const queues = openPipelineQueues(pipelines.names, "queue", { connection, prefix: config.redis.queuePrefix, onError: redisError });
  const producer = new EnvelopeProducer(connection, config);
  const inbox = new InboxRepository(db);
  const apiKeys = new ApiKeys(db, { cacheTtlMs: config.api.keyCacheTtlMs, refusedTtlMs: KEY_REFUSED_TTL_MS });
  const revocations = await listenForKeyRevocations(
    config.redis,
    config.redis.queuePrefix,
    (hashes) => apiKeys.forget(hashes),
    (error) => logger.warn(error),
  );
  // When each key was last used, written once a minute rather than on every request.
  const recordUsage = () => apiKeys.recordUsage().catch((error: unknown) => logger.warn({ err: (error as Error).message }, "could not record API key usage"));
  const usageTimer = setInterval(() => void recordUsage(), KEY_USAGE_INTERVAL_MS);
  usageTimer.unref();
  const app = await buildApi({
    version,
    config,
    logger,
    redis,
    apiKeys,
    webhooks: new WebhookEndpoints(db, config.webhooks),
    intake: new EnvelopeIntake({ inbox, producer, pipelines: pipelines.modules, queues, writesInFlight: config.api.intakeWritesInFlight }),
    checks: { postgres: () => pingDatabase(db), redis: () => redis.ping() },
  });
  const sweeper = new InboxSweeper({ inbox, producer, queues, logger, intervalMs: config.sweeper.intervalMs, minAgeMs: config.sweeper.minAgeMs });
  await app.listen({ host: config.api.host, port: config.api.port });
  sweeper.start();

  stopOnSignals(logger, "no new requests, finishing the ones in flight", async () => {
    await app.close();
    clearInterval(usageTimer);
    await Promise.allSettled([sweeper.stop(), recordUsage(), revocations.close()]);
    await Promise.allSettled([producer.close(), ...Object.values(queues).map((queue) => closeQuietly(queue)), db.destroy()]);
    await closeBullConnection(connection);
    redis.disconnect();
  });
}

runMain("api", main);
