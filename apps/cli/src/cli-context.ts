import { loadConfig, type Config } from "@dealgraph/config";

/** What every command may need, created lazily so `--help` works without a valid environment. */
export interface CliContext {
  config(): Config;
}

export function createCliContext(): CliContext {
  let config: Config | undefined;
  return {
    config: () => (config ??= loadConfig()),
  };
}
