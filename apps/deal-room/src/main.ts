import { DealRoomRepository } from "@dealgraph/deal-room";
import { listenForKeyRevocations } from "@dealgraph/queues";
import { ApiKeys, connectDatabase, pingDatabase } from "@dealgraph/store";
import { runMain, startService, stopOnSignals } from "@dealgraph/worker-runtime";
import { buildDealRoom } from "./build-deal-room";

async function main(): Promise<void> {
  const { config, logger, redis } = await startService("deal-room");
  const db = connectDatabase(config, "deal-room", logger);
  const apiKeys = new ApiKeys(db, { cacheTtlMs: config.api.keyCacheTtlMs, refusedTtlMs: 5_000 });
  // A key revoked through the api stops opening the deal room at once, not when its cache entry ends.
  const revocations = await listenForKeyRevocations(
    config.redis,
    config.redis.queuePrefix,
    (hashes) => apiKeys.forget(hashes),
    (error) => logger.warn(error),
  );
  const app = await buildDealRoom({
    config,
    logger,
    redis,
    apiKeys,
    repository: new DealRoomRepository(db),
    checks: { postgres: () => pingDatabase(db), redis: () => redis.ping() },
  });
  await app.listen({ host: config.dealRoom.host, port: config.dealRoom.port });
  logger.info({ port: config.dealRoom.port }, "deal room started");

  stopOnSignals(logger, "finishing the requests in flight", async () => {
    await app.close();
    await Promise.allSettled([revocations.close(), db.destroy()]);
    redis.disconnect();
  });
}

runMain("deal-room", main);
