import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadDotEnv, shellEnvironment, shellExports } from "@dealgraph/config";
import type { Command } from "commander";
import { reportServices } from "./dev-status";

const SERVICES_SCRIPT = path.resolve(__dirname, "../../../../scripts/services.sh");

/** Starting and stopping installs and launches system services: that stays in scripts/services.sh, which this runs. */
function runServicesScript(command: "up" | "down", quiet: boolean): void {
  const result = spawnSync("bash", [SERVICES_SCRIPT, command, ...(quiet ? ["--quiet"] : [])], { stdio: "inherit" });
  process.exitCode = result.status ?? 1;
}

export function registerDev(program: Command): void {
  const dev = program.command("dev").description("The local services and what the scripts read of the configuration");
  dev
    .command("up")
    .description("Start Redis, Postgres and both Neo4j servers where they are not running (installing what is missing), and fetch the offline model")
    .option("--quiet", "print only failures")
    .action((options: { quiet?: boolean }) => runServicesScript("up", options.quiet === true));
  dev
    .command("status")
    .description("Each local service at its configured address: up or down, and whether this project started it; exit 1 when one is down")
    .action(async () => {
      loadDotEnv();
      if (!(await reportServices(shellEnvironment(process.env), (line) => console.log(line)))) process.exitCode = 1;
    });
  dev
    .command("down")
    .description("Stop what `dev up` started (never a service it found running)")
    .action(() => runServicesScript("down", false));
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
