import { loadConfig } from "@dealgraph/config";
import { createLogger } from "@dealgraph/logging";
import type { PipelineModule } from "@dealgraph/pipeline-kit";
import { assertNoEviction, closeQuietly, createRedisConnection, openQueue, pipelineQueues } from "@dealgraph/queues";
import { InboxRepository, createDatabase, pingDatabase } from "@dealgraph/store";
import { EnvelopeWorker } from "./envelope-worker";
import { startHealthServer } from "./health-server";
import { ProjectionWorker } from "./projection-worker";
import { WorkerMetrics } from "./worker-metrics";

/**
 * The whole life of a worker process: refuse a Redis that evicts keys, open the clients, serve
 * /healthz /readyz /metrics, consume the pipeline's queue, and on SIGTERM or SIGINT stop taking
 * jobs, finish the ones in hand, close every connection and exit. A second signal forces the
 * exit; the jobs still in hand are then recovered by another worker as stalled.
 */
export async function runWorkerProcess(module: PipelineModule): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: module.workerName, level: config.logLevel });
  const redis = createRedisConnection(config.redis.url, module.workerName);
  await assertNoEviction(redis);
  let postgresStatements = 0;
  const db = createDatabase({
    url: config.postgres.url,
    poolMax: config.postgres.poolMax,
    applicationName: module.workerName,
    onIdleConnectionError: (error) => logger.warn({ err: error.message }, "postgres dropped an idle connection"),
    onStatement: () => postgresStatements++,
  });
  const processor = await module.open(config, { db, logger });
  const connection = { url: config.redis.url };
  const queue = openQueue(pipelineQueues(module.name).queue, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  const metrics = new WorkerMetrics();
  const worker = new EnvelopeWorker({
    pipeline: module.name,
    config,
    connection,
    redis,
    inbox: new InboxRepository(db),
    process: async (envelope) => {
      const run = await processor.process(envelope);
      const hold = config.workers.testHoldAfterWriteMs;
      if (hold > 0) {
        logger.warn({ interaction_id: envelope.interaction_id, hold_ms: hold }, "test hold after the graph write");
        await new Promise((resolve) => setTimeout(resolve, hold));
      }
      return run;
    },
    logger,
    metrics,
  });
  metrics.watch([queue, worker.deadLetters, worker.projections]);
  metrics.countRoundTrips(module.name, { neo4j: () => processor.graphRoundTrips(), postgres: () => postgresStatements });
  const projections = new ProjectionWorker({
    pipeline: module.name,
    config,
    connection,
    reproject: (tenantId, interactionId) => processor.reproject(tenantId, interactionId),
    logger,
    metrics,
  });
  let draining = false;
  const server = await startHealthServer({
    port: module.healthPort(config),
    registry: metrics.registry,
    ready: () => !draining,
    checks: { redis: () => redis.ping(), postgres: () => pingDatabase(db), ...processor.checks },
  });
  worker.start();
  projections.start();
  logger.info({ port: module.healthPort(config), concurrency: config.workers.concurrency }, `${module.workerName} started`);

  const shutdown = async (signal: string) => {
    if (draining) {
      logger.warn({ signal }, "second signal: exiting now; jobs in hand will be recovered as stalled");
      process.exit(1);
    }
    draining = true;
    logger.info({ signal }, "draining: finishing the jobs in hand");
    await Promise.all([worker.close(), projections.close()]);
    await Promise.allSettled([closeQuietly(queue), processor.close(), db.destroy()]);
    redis.disconnect();
    server.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}
