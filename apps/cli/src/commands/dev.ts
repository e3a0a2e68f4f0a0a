import { loadDotEnv, shellEnvironment, shellExports } from "@dealgraph/config";
import type { Command } from "commander";

export function registerDev(program: Command): void {
  const dev = program.command("dev").description("What the local scripts (scripts/services.sh, start, demo) read of the configuration");
  dev
    .command("env")
    .description(
      "Print the resolved configuration as `export NAME='value'` lines, each URL's host, port, user, password and path beside it (scripts/lib/env.sh evaluates them)",
    )
    .action(() => {
      loadDotEnv();
      process.stdout.write(`${shellExports(shellEnvironment(process.env))}\n`);
    });
}
