import { pipelines } from "@dealgraph/pipelines";
import { QUEUE_NAMES, bullConnection, closeBullConnection, closeQuietly, openQueue, pipelineQueues } from "@dealgraph/queues";
import { runMain, startService, stopOnSignals } from "@dealgraph/worker-runtime";
import type { ConnectionOptions } from "bullmq";
import { buildDashboard, type BoardQueue } from "./build-dashboard";

/** Every queue of the fleet: each pipeline's envelopes, dead letters and projection retries, the reconciler's and the webhooks'. */
function fleetQueues(connection: ConnectionOptions, prefix: string): BoardQueue[] {
  const perPipeline = pipelines.names.flatMap((pipeline) => {
    const names = pipelineQueues(pipeline);
    return [
      { queue: openQueue(names.queue, { connection, prefix }), description: `${pipeline} envelopes; Retry on a failed job replays it` },
      {
        queue: openQueue(names.deadLetter, { connection, prefix }),
        description: `${pipeline} dead letters (payload, error, stack, attempts); replay by retrying the failed job in ${names.queue} or with \`dealgraph dlq replay\``,
      },
      {
        queue: openQueue(names.projection, { connection, prefix }),
        description: `${pipeline} projections that failed and are retried from the graph until Postgres takes them`,
      },
    ];
  });
  return [
    ...perPipeline,
    { queue: openQueue(QUEUE_NAMES.reconcile, { connection, prefix }), description: "scheduled reconcile runs (graphs against Postgres, every tenant)" },
    {
      queue: openQueue(QUEUE_NAMES.riskSignals, { connection, prefix }),
      description: "risk-signal refreshes: one per applied envelope, and the scheduled sweep of every account",
    },
    {
      queue: openQueue(QUEUE_NAMES.webhooks, { connection, prefix }),
      description: "webhook deliveries, retried with back-off until the receiver answers 2xx (`dealgraph webhooks deliveries` shows each attempt)",
    },
    { queue: openQueue(QUEUE_NAMES.webhooksDead, { connection, prefix }), description: "webhook deliveries that used up their attempts" },
  ];
}

async function main(): Promise<void> {
  // Replaying from the board writes jobs: startService refuses a Redis that evicts them.
  const { config, logger, redis } = await startService("dashboard");
  const connection = bullConnection(config.redis, "dashboard");
  const queues = fleetQueues(connection, config.redis.queuePrefix);
  const app = await buildDashboard({ config, logger, redis, queues, checks: { redis: () => redis.ping() } });
  await app.listen({ host: config.dashboard.host, port: config.dashboard.port });
  logger.info({ port: config.dashboard.port, read_only: config.dashboard.readOnly }, "dashboard started");

  stopOnSignals(logger, "closing the board", async () => {
    await app.close();
    await Promise.allSettled(queues.map(({ queue }) => closeQuietly(queue)));
    await closeBullConnection(connection);
    redis.disconnect();
  });
}

runMain("dashboard", main);
