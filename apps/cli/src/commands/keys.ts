import { ApiKeys, createDatabase } from "@dealgraph/store";
import type { Command } from "commander";
import { requireUuid } from "../arguments";
import type { CliContext } from "../cli-context";

export function registerKeys(program: Command, context: CliContext): void {
  const keys = program.command("keys").description("Manage per-tenant API keys");
  keys
    .command("create")
    .description("Create an API key for a tenant and print it once (only its hash is stored)")
    .requiredOption("--tenant <uuid>", "the tenant the key acts for")
    .option("--label <text>", "what the key is for, e.g. the producer's name")
    .option("--json", "print JSON")
    .action(async (options: { tenant: string; label?: string; json?: boolean }) => {
      requireUuid(options.tenant, "--tenant", "tenant");
      const db = createDatabase({ url: context.config().postgres.url, poolMax: 1, applicationName: "dealgraph-cli" });
      try {
        const { key, keyId } = await new ApiKeys(db).create(options.tenant, options.label ?? null);
        if (options.json) console.log(JSON.stringify({ tenant_id: options.tenant, key_id: keyId, key }));
        else console.log(`API key for tenant ${options.tenant} (id ${keyId}); it is shown only now:\n${key}`);
      } finally {
        await db.destroy();
      }
    });
}
