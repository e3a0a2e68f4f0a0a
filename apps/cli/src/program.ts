import { readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import type { CliContext } from "./cli-context";
import { registerConfig } from "./commands/config";
import { registerDev } from "./commands/dev";
import { registerDlq } from "./commands/dlq";
import { registerEnqueue } from "./commands/enqueue";
import { registerEval } from "./commands/eval";
import { registerExtract } from "./commands/extract";
import { registerHealth } from "./commands/health";
import { registerKeys } from "./commands/keys";
import { registerMigrate } from "./commands/migrate";
import { registerPipelines } from "./commands/pipelines";
import { registerProcess } from "./commands/process";
import { registerReconcile } from "./commands/reconcile";
import { registerRisk } from "./commands/risk";
import { registerReindex } from "./commands/reindex";
import { registerStatus } from "./commands/status";
import { registerWebhooks } from "./commands/webhooks";

const { version } = JSON.parse(readFileSync(path.resolve(__dirname, "../package.json"), "utf8")) as { version: string };

/** Every command of `dealgraph`, none run yet (the context opens what a command needs when it runs). */
export function buildProgram(context: CliContext): Command {
  const program = new Command()
    .name("dealgraph")
    .description("Operator CLI for the dealgraph worker fleet")
    .version(version, "-V, --version", "print the version")
    .showHelpAfterError()
    .exitOverride();
  registerMigrate(program, context);
  registerConfig(program);
  registerDev(program);
  registerHealth(program, context);
  registerPipelines(program, context);
  registerExtract(program, context);
  registerProcess(program, context);
  registerEval(program, context);
  registerKeys(program, context);
  registerEnqueue(program, context);
  registerStatus(program, context);
  registerDlq(program, context);
  registerReconcile(program, context);
  registerRisk(program, context);
  registerReindex(program, context);
  registerWebhooks(program, context);
  return program;
}
