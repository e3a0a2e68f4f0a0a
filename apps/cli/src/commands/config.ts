import { renderEnvExample } from "@dealgraph/config";
import type { Command } from "commander";

export function registerConfig(program: Command): void {
  const config = program.command("config").description("The configuration's variables and defaults");
  config
    .command("example")
    .description("Print .env.example as the schemas make it (pnpm env:example writes it; a unit test fails when the file is out of date)")
    .action(() => {
      process.stdout.write(renderEnvExample());
    });
}
