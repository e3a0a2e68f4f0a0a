import { loadConfig, type Config } from "@dealgraph/config";
import { createLogger, type Logger } from "@dealgraph/logging";

/** What every command may need, created lazily so `--help` works without a valid environment. */
export interface CliContext {
  config(): Config;
  /**
   * Logs to stderr, so that stdout carries only the command's output (and stays valid JSON with
   * --json): warnings and up unless the LOG_LEVEL the CLI is run with says otherwise, readable lines at a terminal and
   * JSON lines when stderr goes to a file or a collector.
   */
  logger(): Logger;
}

export function createCliContext(): CliContext {
  // Read before `.env` is loaded: its LOG_LEVEL is the services' and would fill a person's
  // terminal with info lines; the CLI's own level comes from the environment it is run in.
  const level = process.env.LOG_LEVEL ?? "warn";
  let config: Config | undefined;
  let logger: Logger | undefined;
  return {
    config: () => (config ??= loadConfig()),
    logger: () => (logger ??= createLogger({ name: "cli", level, destination: process.stderr, pretty: process.stderr.isTTY === true })),
  };
}
