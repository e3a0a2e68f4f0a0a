import { isUuid } from "@dealgraph/contracts";
import { GraphClient } from "@dealgraph/graph";
import { ValidationError } from "@dealgraph/errors";
import { compareTenant, graphTenants, type TenantComparison } from "@dealgraph/reconciliation";
import { createDatabase } from "@dealgraph/store";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { Progress } from "../progress";

function formatComparison(c: TenantComparison): string {
  const lines = [`tenant ${c.tenantId}: ${c.drift === 0 ? "graph and Postgres agree" : `DRIFT ${c.drift}`}  (${c.ms} ms)`];
  lines.push(`  ${"kind".padEnd(26)}${"graph".padStart(8)}${"postgres".padStart(10)}${"missing".padStart(9)}${"extra".padStart(7)}`);
  for (const k of c.kinds) {
    lines.push(`  ${k.kind.padEnd(26)}${String(k.graph).padStart(8)}${String(k.postgres).padStart(10)}${String(k.missingCount).padStart(9)}${String(k.extraCount).padStart(7)}`);
    for (const id of k.missing.slice(0, 20)) lines.push(`      missing ${id}`);
    for (const id of k.extra.slice(0, 20)) lines.push(`      extra   ${id}`);
  }
  return lines.join("\n");
}

export function registerReconcile(program: Command, context: CliContext): void {
  program
    .command("reconcile")
    .description("Compare the graphs with the Postgres projection, per tenant and kind, by id; exit 1 on drift")
    .option("--tenant <uuid>", "one tenant (default: every tenant in the graphs)")
    .option("--json", "print JSON")
    .action(async (options: { tenant?: string; json?: boolean }) => {
      if (options.tenant !== undefined && !isUuid(options.tenant)) {
        throw new ValidationError(`--tenant must be a UUID, got "${options.tenant}"`, [{ path: "tenant", message: "Must be a UUID" }]);
      }
      const config = context.config();
      const graphs = {
        ai: GraphClient.connect(config.aiGraph, { name: "ai-graph" }),
        deals: GraphClient.connect(config.dealGraph, { name: "deal-graph" }),
      };
      const db = createDatabase({ url: config.postgres.url, poolMax: 2, applicationName: "dealgraph-cli" });
      try {
        const tenants = options.tenant ? [options.tenant] : [...new Set([...(await graphTenants(graphs.ai)), ...(await graphTenants(graphs.deals))])].sort();
        const progress = new Progress("reconcile", tenants.length, !options.json);
        const results: TenantComparison[] = [];
        for (const tenantId of tenants) {
          results.push(await compareTenant({ graphs, db }, tenantId));
          progress.update(results.length);
        }
        progress.finish();
        if (options.json) console.log(JSON.stringify(results, null, 2));
        else if (results.length === 0) console.log("no tenant has data in the graphs");
        else console.log(results.map(formatComparison).join("\n"));
        if (results.some((r) => r.drift > 0)) process.exitCode = 1;
      } finally {
        await Promise.allSettled([graphs.ai.close(), graphs.deals.close(), db.destroy()]);
      }
    });
}
