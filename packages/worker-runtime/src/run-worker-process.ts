import { MeteredProvider, createLlmProvider } from "@dealgraph/llm";
import type { PipelineModule } from "@dealgraph/pipeline-kit";
import { QUEUE_NAMES, bullConnection, closeBullConnection, closeQuietly, enqueueRiskRefresh, openQueue, pipelineQueues } from "@dealgraph/queues";
import { InboxRepository, connectDatabase, pingDatabase } from "@dealgraph/store";
import { WebhookDispatcher, WebhookPublisher } from "@dealgraph/webhooks";
import { EnvelopeWorker } from "./envelope-worker";
import { startService, stopOnSignals } from "./process-lifecycle";
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
  const { config, logger, redis } = await startService(module.workerName);
  let postgresStatements = 0;
  const db = connectDatabase(config, module.workerName, logger, { onStatement: () => postgresStatements++ });
  const metrics = new WorkerMetrics(config.llmPrices);
  // Every model call is counted as it happens, failed ones too, whether or not its job completes.
  const llm = new MeteredProvider(createLlmProvider(config), (outcome) => metrics.llmCall(module.name, outcome));
  const processor = await module.open(config, { db, logger, llm });
  const connection = bullConnection(config.redis, module.workerName);
  const queue = openQueue(pipelineQueues(module.name).queue, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  // Every worker process also makes webhook deliveries, whichever pipeline published them.
  const webhookQueue = openQueue(QUEUE_NAMES.webhooks, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  // The reconciler app refreshes an account's risk signals after every applied envelope.
  const riskRefreshes = openQueue(QUEUE_NAMES.riskSignals, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  const webhooks = new WebhookDispatcher(db, { config, connection, logger });
  const worker = new EnvelopeWorker({
    pipeline: module.name,
    config,
    connection,
    redis,
    inbox: new InboxRepository(db),
    process: (envelope, alongside) => {
      const hold = config.workers.testHoldAfterWriteMs;
      if (hold === 0) return processor.process(envelope, alongside);
      // Inside the projection's transaction, before the inbox is told: a test that kills the
      // process here leaves the graph written and Postgres (projection and inbox) untouched.
      return processor.process(envelope, async (trx, run) => {
        logger.warn({ interaction_id: envelope.interaction_id, hold_ms: hold }, "test hold after the graph write");
        await new Promise((resolve) => setTimeout(resolve, hold));
        await alongside(trx, run);
      });
    },
    logger,
    metrics,
    events: new WebhookPublisher(db, webhookQueue, config.webhooks),
    afterDone: ({ tenantId, interactionId, accountId }) =>
      accountId === null ? Promise.resolve() : enqueueRiskRefresh(riskRefreshes, { tenantId, accountId, pipeline: module.name, interactionId }),
  });
  metrics.watch([queue, worker.deadLetters, worker.projections, webhookQueue, webhooks.deadLetters]);
  metrics.countRoundTrips(module.name, { neo4j: () => processor.graphRoundTrips(), postgres: () => postgresStatements });
  const projections = new ProjectionWorker({
    pipeline: module.name,
    config,
    connection,
    reproject: (tenantId, interactionId) => processor.reproject(tenantId, interactionId),
    logger,
    metrics,
  });
  const server = await startHealthServer({
    host: config.healthHost,
    port: config.workers.port ?? module.healthPort(config),
    registry: metrics.registry,
    ready: () => !lifecycle.stopping,
    checks: { redis: () => redis.ping(), postgres: () => pingDatabase(db), ...processor.checks },
  });
  worker.start();
  projections.start();
  webhooks.start();
  logger.info({ port: config.workers.port ?? module.healthPort(config), concurrency: config.workers.concurrency }, `${module.workerName} started`);

  // A second signal exits at once: the jobs in hand are recovered as stalled by another worker.
  const lifecycle = stopOnSignals(logger, "finishing the jobs in hand", async () => {
    await Promise.all([worker.close(), projections.close(), webhooks.close()]);
    await Promise.allSettled([closeQuietly(queue), closeQuietly(webhookQueue), closeQuietly(riskRefreshes), processor.close(), db.destroy()]);
    await closeBullConnection(connection);
    redis.disconnect();
    server.close();
    logger.info("stopped");
  });
}
