import { loadConfig, type Config } from "@dealgraph/config";
import { createLogger, type Logger } from "@dealgraph/logging";

/** What every command may need, created lazily so `--help` works without a valid environment. */
export interface CliContext {
  config(): Config;
  /** Logs to stderr, so that stdout carries only the command's output (and stays valid JSON with --json); warnings and up unless LOG_LEVEL says otherwise. */
  logger(): Logger;
}

export function createCliContext(): CliContext {
  let config: Config | undefined;
  let logger: Logger | undefined;
  return {
    config: () => (config ??= loadConfig()),
    logger: () => (logger ??= createLogger({ name: "cli", level: process.env.LOG_LEVEL ?? "warn", destination: process.stderr })),
  };
}
