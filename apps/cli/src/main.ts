import { DealgraphError } from "@dealgraph/errors";
import { createCliContext } from "./cli-context";
import { buildProgram } from "./program";

async function main(argv: string[]): Promise<void> {
  const program = buildProgram(createCliContext());
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
