import { loadConfig, type Config } from "@dealgraph/config";
import type { AcceptedEnvelope } from "@dealgraph/contracts";
import { createLogger, type Logger } from "@dealgraph/logging";
import { PIPELINE_QUEUES, assertNoEviction, closeQuietly, createRedisConnection, openQueue, type Pipeline } from "@dealgraph/queues";
import { InboxRepository, createDatabase, pingDatabase, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { EnvelopeWorker, type PipelineRun } from "./envelope-worker";
import { startHealthServer } from "./health-server";
import { ProjectionWorker, type ReprojectOutcome } from "./projection-worker";
import { WorkerMetrics } from "./worker-metrics";

/** What a worker app plugs in: its pipeline, wired to the clients it opened. */
export interface PipelineProcessor {
  process(envelope: AcceptedEnvelope): Promise<PipelineRun>;
  /** Projects what the interaction wrote to the graph, for the projection retry path. */
  reproject(tenantId: string, interactionId: string): Promise<ReprojectOutcome>;
  /** Dependency checks for /readyz (the graph, for instance). */
  checks: Record<string, () => Promise<unknown>>;
  /** Round trips the pipeline's graph client has made (GraphClient.roundTrips). */
  graphRoundTrips(): number;
  close(): Promise<void>;
}

export interface WorkerProcessOptions {
  pipeline: Pipeline;
  name: string;
  port: (config: Config) => number;
  createProcessor(config: Config, db: Kysely<Database>, logger: Logger): Promise<PipelineProcessor>;
}

/**
 * The whole life of a worker process: refuse a Redis that evicts keys, open the clients, serve
 * /healthz /readyz /metrics, consume the pipeline's queue, and on SIGTERM or SIGINT stop taking
 * jobs, finish the ones in hand, close every connection and exit. A second signal forces the
 * exit; the jobs still in hand are then recovered by another worker as stalled.
 */
export async function runWorkerProcess(options: WorkerProcessOptions): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: options.name, level: config.logLevel });
  const redis = createRedisConnection(config.redis.url, options.name);
  await assertNoEviction(redis);
  let postgresStatements = 0;
  const db = createDatabase({
    url: config.postgres.url,
    poolMax: config.postgres.poolMax,
    applicationName: options.name,
    onIdleConnectionError: (error) => logger.warn({ err: error.message }, "postgres dropped an idle connection"),
    onStatement: () => postgresStatements++,
  });
  const processor = await options.createProcessor(config, db, logger);
  const connection = { url: config.redis.url };
  const queue = openQueue(PIPELINE_QUEUES[options.pipeline].queue, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  const metrics = new WorkerMetrics();
  const worker = new EnvelopeWorker({
    pipeline: options.pipeline,
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
  metrics.countRoundTrips(options.pipeline, { neo4j: () => processor.graphRoundTrips(), postgres: () => postgresStatements });
  const projections = new ProjectionWorker({
    pipeline: options.pipeline,
    config,
    connection,
    reproject: (tenantId, interactionId) => processor.reproject(tenantId, interactionId),
    logger,
    metrics,
  });
  let draining = false;
  const server = await startHealthServer({
    port: options.port(config),
    registry: metrics.registry,
    ready: () => !draining,
    checks: { redis: () => redis.ping(), postgres: () => pingDatabase(db), ...processor.checks },
  });
  worker.start();
  projections.start();
  logger.info({ port: options.port(config), concurrency: config.workers.concurrency }, `${options.name} started`);

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
