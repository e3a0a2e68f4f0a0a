import { loadConfig, type Config } from "@dealgraph/config";
import { createLogger, type Logger } from "@dealgraph/logging";
import { assertNoEviction, createRedisConnection, type RedisClient } from "@dealgraph/queues";
import { activeTraceIds, startTracing, type Tracing } from "@dealgraph/telemetry";

/** The process's tracing, flushed before it exits on a signal. */
let tracing: Tracing | undefined;

/**
 * Stops the process cleanly on SIGTERM or SIGINT: `stop` runs once (finish what is in hand,
 * close what was opened), then the process exits 0. A second signal while it runs exits 1 at
 * once: an operator who signals twice means it. `stopping` turns readiness off meanwhile.
 */
export function stopOnSignals(logger: Logger, what: string, stop: () => Promise<void>): { readonly stopping: boolean } {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `stopping: ${what}`);
    stop()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error instanceof Error ? error.message : String(error) }, "could not stop cleanly");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return {
    get stopping() {
      return stopping;
    },
  };
}

/** A composition root's entry: a failure to start is one line on stderr (no stack, no secrets) and exit code 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * What every service process starts with: its configuration (validated, or the process stops
 * naming the variables), a logger under its name and a Redis connection under its name. Jobs,
 * schedules and key revocations live in Redis, so a Redis that may evict keys is refused.
 */
export async function startService(name: string): Promise<{ config: Config; logger: Logger; redis: RedisClient }> {
  const config = loadConfig();
  tracing = startTracing({ serviceName: `dealgraph-${name}`, otlpEndpoint: config.tracing.otlpTracesUrl });
  const logger = createLogger({ name, level: config.logLevel, mixin: activeTraceIds });
  const redis = createRedisConnection(config.redis, name);
  await assertNoEviction(redis);
  return { config, logger, redis };
}
