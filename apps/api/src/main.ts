import { loadConfig } from "@dealgraph/config";
import { createLogger } from "@dealgraph/logging";
import { pipelines } from "@dealgraph/pipelines";
import { EnvelopeIntake, EnvelopeProducer, assertNoEviction, closeQuietly, createRedisConnection, listenForKeyRevocations, openPipelineQueues } from "@dealgraph/queues";
import { ApiKeys, InboxRepository, createDatabase, pingDatabase } from "@dealgraph/store";
import { buildApi } from "./build-api";
import { InboxSweeper } from "./inbox-sweeper";

/** A refused key is refused again from memory for this long: a client retrying a bad key costs no database call. */
const KEY_REFUSED_TTL_MS = 5_000;
const KEY_USAGE_INTERVAL_MS = 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: "api", level: config.logLevel });
  const redis = createRedisConnection(config.redis.url, "api");
  await assertNoEviction(redis);
  const db = createDatabase({
    url: config.postgres.url,
    poolMax: config.postgres.poolMax,
    applicationName: "api",
    onIdleConnectionError: (error) => logger.warn({ err: error.message }, "postgres dropped an idle connection"),
  });
  const connection = { url: config.redis.url };
  const redisError = (error: Error) => logger.warn({ err: error.message }, "redis connection error");
  const queues = openPipelineQueues(pipelines.names, "queue", { connection, prefix: config.redis.queuePrefix, onError: redisError });
  const producer = new EnvelopeProducer(connection, config);
  const inbox = new InboxRepository(db);
  const apiKeys = new ApiKeys(db, { cacheTtlMs: config.api.keyCacheTtlMs, refusedTtlMs: KEY_REFUSED_TTL_MS });
  const revocations = await listenForKeyRevocations(config.redis.url, config.redis.queuePrefix, (hashes) => apiKeys.forget(hashes), (error) => logger.warn(error));
  // When each key was last used, written once a minute rather than on every request.
  const recordUsage = () => apiKeys.recordUsage().catch((error: unknown) => logger.warn({ err: (error as Error).message }, "could not record API key usage"));
  const usageTimer = setInterval(() => void recordUsage(), KEY_USAGE_INTERVAL_MS);
  usageTimer.unref();
  const app = await buildApi({
    config,
    logger,
    redis,
    apiKeys,
    intake: new EnvelopeIntake({ inbox, producer, pipelines: pipelines.modules, queues, writesInFlight: config.api.intakeWritesInFlight }),
    checks: { postgres: () => pingDatabase(db), redis: () => redis.ping() },
  });
  const sweeper = new InboxSweeper({ inbox, producer, queues, logger, intervalMs: config.sweeper.intervalMs, minAgeMs: config.sweeper.minAgeMs });
  await app.listen({ host: config.api.host, port: config.api.port });
  sweeper.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "stopping: no new requests, finishing the ones in flight");
    await app.close();
    clearInterval(usageTimer);
    await Promise.allSettled([sweeper.stop(), recordUsage(), revocations.close()]);
    await Promise.allSettled([producer.close(), ...Object.values(queues).map((queue) => closeQuietly(queue)), db.destroy()]);
    redis.disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
