import { DealgraphError } from "@dealgraph/errors";
import { Command } from "commander";
import { createCliContext } from "./cli-context";
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
import { registerReindex } from "./commands/reindex";
import { registerStatus } from "./commands/status";

async function main(argv: string[]): Promise<void> {
  const context = createCliContext();
  const program = new Command().name("dealgraph").description("Operator CLI for the dealgraph worker fleet").showHelpAfterError().exitOverride();
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
  registerReindex(program, context);
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  if (error instanceof Error && "code" in error && String(error.code).startsWith("commander.")) {
    // commander has already printed help or the usage error.
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 2;
    return;
  }
  if (error instanceof DealgraphError) {
    console.error(`dealgraph: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  console.error(`dealgraph: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
