import { pipelines } from "@dealgraph/pipelines";
import { GRAPH_NAMES } from "@dealgraph/config";
import { closeGraphs, connectGraphs, graphClientName } from "@dealgraph/graph";
import { QUEUE_NAMES, bullConnection, closeBullConnection, closeQuietly, maintenanceJobSchema, openQueue } from "@dealgraph/queues";
import { Backfill, Reconciler, knownTenants, type TenantReport } from "@dealgraph/reconciliation";
import { RiskSignalRefresher } from "@dealgraph/risk-signals";
import { WebhookPublisher } from "@dealgraph/webhooks";
import { connectDatabase, pingDatabase } from "@dealgraph/store";
import { runMain, startHealthServer, startService, stopOnSignals } from "@dealgraph/worker-runtime";
import { Worker } from "bullmq";
import { ReconcileMetrics } from "./reconcile-metrics";
import { RiskJobs } from "./risk-jobs";

const SCHEDULER_ID = "reconcile-every-tenant";
const RISK_SCHEDULER_ID = "risk-signals-every-account";

/**
 * The scheduled reconciler (DESIGN §11): a BullMQ job scheduler adds one `reconcile` job per
 * interval (one scheduler however many reconcilers run, so runs never overlap), and this
 * process's worker compares every tenant's graphs with its projection, records each run,
 * repairs when RECONCILE_REPAIR is on, and exports the figures on /metrics. Operators queue
 * reconciles and backfills of their own on the same queue (`dealgraph reconcile|backfill
 * --queue`); each reports its progress per tenant through BullMQ. A second worker refreshes
 * risk signals from their own queue: the account of every applied envelope, and a scheduled
 * sweep of every account with deals.
 */
async function main(): Promise<void> {
  const { config, logger, redis } = await startService("reconciler");
  const db = connectDatabase(config, "reconciler", logger);
  const graphs = connectGraphs(config, logger);
  const connection = bullConnection(config.redis, "reconciler");
  const queue = openQueue(QUEUE_NAMES.reconcile, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  const reconciler = new Reconciler({ graphs, db, catalog: pipelines, logger });
  const backfill = new Backfill({ graphs, db, catalog: pipelines });
  // Signal changes go to the tenants' webhooks; the workers' processes deliver them.
  const webhookQueue = openQueue(QUEUE_NAMES.webhooks, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  const riskQueue = openQueue(QUEUE_NAMES.riskSignals, {
    connection,
    prefix: config.redis.queuePrefix,
    onError: (error) => logger.warn({ err: error.message }, "redis connection error"),
  });
  const metrics = new ReconcileMetrics([queue, riskQueue]);
  const riskJobs = new RiskJobs(
    new RiskSignalRefresher({ graphs, db, thresholds: config.risk.thresholds, logger, events: new WebhookPublisher(db, webhookQueue, config.webhooks) }),
    logger,
  );
  // Time-based risk signals (stalled, gone quiet, overdue) rise without a new call only if every account is looked at again.
  await riskQueue.upsertJobScheduler(
    RISK_SCHEDULER_ID,
    { every: config.risk.sweepIntervalMs },
    { name: "risk_signals", data: { kind: "risk_signals" }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  // Its own worker, so that refreshes never wait behind a reconcile of a large tenant.
  const riskWorker = new Worker(
    QUEUE_NAMES.riskSignals,
    async (job, _token, signal) => {
      const task = maintenanceJobSchema.parse(job.data ?? {});
      return riskJobs.run(job, task, task.tenant_id ? [task.tenant_id] : await knownTenants(graphs, db), signal);
    },
    { connection, prefix: config.redis.queuePrefix, concurrency: config.risk.refreshConcurrency, lockDuration: 120_000 },
  );
  riskWorker.on("failed", (job, error) => logger.error({ job_id: job?.id, err: error.message }, "risk signal refresh failed"));
  riskWorker.on("error", (error) => logger.error({ err: error.message }, "risk signal worker error"));

  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { every: config.reconciler.intervalMs },
    { name: "reconcile", data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(
    QUEUE_NAMES.reconcile,
    // BullMQ passes the abort signal only to a processor that declares three parameters.
    async (job, _token, signal) => {
      const started = performance.now();
      const task = maintenanceJobSchema.parse(job.data ?? {});
      const tenants = task.tenant_id ? [task.tenant_id] : await knownTenants(graphs, db);
      // enqueueMaintenance takes any maintenance job: a refresh put on this queue runs as one, not as a reconcile.
      if (task.kind === "risk_signals") return riskJobs.run(job, task, tenants, signal);
      if (task.kind === "backfill") {
        const written: Record<string, Record<string, number>> = {};
        for (const [done, tenantId] of tenants.entries()) {
          if (signal?.aborted) throw new Error("stopped for shutdown; the retry resumes from the checkpoints");
          written[tenantId] = await backfill.run(tenantId, {
            ...(task.since ? { since: new Date(task.since).toISOString() } : {}),
            onProgress: (p) => void job.updateProgress({ tenants: tenants.length, done, tenant_id: tenantId, kind: p.kind, written: p.written }),
          });
        }
        await job.updateProgress({ tenants: tenants.length, done: tenants.length });
        logger.info({ job_id: job.id, tenants: tenants.length }, "backfill finished");
        return { tenants: tenants.length, written };
      }
      const repair = task.repair ?? config.reconciler.repair;
      const reports: TenantReport[] = [];
      for (const tenantId of tenants) {
        // A shutdown stops between tenants, not after all of them: a run over many tenants can
        // outlast any stop grace period, and each tenant's report is already whole and on record.
        if (signal?.aborted) break;
        reports.push(await reconciler.reconcileTenant(tenantId, { repair, full: task.full === true }));
        await job.updateProgress({
          tenants: tenants.length,
          done: reports.length,
          tenant_id: tenantId,
          percent: Math.round((reports.length / tenants.length) * 100),
        });
      }
      const interrupted = reports.length < tenants.length;
      // The gauges describe runs over every tenant; one tenant's run would misstate them.
      if (!task.tenant_id) metrics.ran(reports, (performance.now() - started) / 1000, { interrupted });
      const drift = reports.reduce((sum, r) => sum + r.drift, 0);
      logger.info(
        { job_id: job.id, tenants: tenants.length, reconciled: reports.length, interrupted, drift, repair },
        interrupted ? "reconcile run stopped early for shutdown" : "reconcile run finished",
      );
      return { tenants: tenants.length, reconciled: reports.length, interrupted, drift, drifting: reports.filter((r) => r.drift > 0).map((r) => r.tenantId) };
    },
    { connection, prefix: config.redis.queuePrefix, concurrency: 1, lockDuration: 120_000 },
  );
  worker.on("failed", (job, error) => {
    metrics.failed();
    logger.error({ job_id: job?.id, err: error.message }, "reconcile run failed");
  });
  worker.on("error", (error) => logger.error({ err: error.message }, "reconcile worker error"));

  const server = await startHealthServer({
    host: config.healthHost,
    port: config.reconciler.port,
    registry: metrics.registry,
    ready: () => !lifecycle.stopping,
    checks: {
      redis: () => redis.ping(),
      postgres: () => pingDatabase(db),
      ...Object.fromEntries(GRAPH_NAMES.map((name) => [graphClientName(name), () => graphs[name].ping()])),
    },
  });
  logger.info({ port: config.reconciler.port, every_ms: config.reconciler.intervalMs, repair: config.reconciler.repair }, "reconciler started");

  const lifecycle = stopOnSignals(logger, "finishing the tenant in hand", async () => {
    worker.cancelAllJobs("shutdown");
    riskWorker.cancelAllJobs("shutdown");
    await Promise.all([worker.close(), riskWorker.close()]);
    await Promise.allSettled([closeQuietly(queue), closeQuietly(riskQueue), closeQuietly(webhookQueue), closeGraphs(graphs), db.destroy()]);
    await closeBullConnection(connection);
    redis.disconnect();
    server.close();
  });
}

runMain("reconciler", main);
