import { ValidationError } from "@dealgraph/errors";
import { QUEUE_NAMES, bullConnection, closeBullConnection, closeQuietly, openQueue } from "@dealgraph/queues";
import { RiskSignalRefresher, type RefreshOutcome } from "@dealgraph/risk-signals";
import { WebhookPublisher } from "@dealgraph/webhooks";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { queueMaintenance, tenantCommand, tenantOf } from "../maintenance-commands";
import { withTenants } from "../tenant-services";

function formatChanges(tenantId: string, outcomes: readonly RefreshOutcome[]): string {
  const changes = outcomes.flatMap((o) => o.changes);
  const lines = [
    `tenant ${tenantId}: ${outcomes.length} account(s), ${changes.length} change(s), ${outcomes.reduce((n, o) => n + o.active, 0)} signal(s) standing`,
  ];
  for (const change of changes) {
    const s = change.next;
    lines.push(`  ${change.kind.padEnd(8)} ${s.code.padEnd(26)} ${s.severity.padEnd(7)} ${s.accountId} ${s.opportunityId}: ${s.detail}`);
  }
  return lines.join("\n");
}

export function registerRisk(program: Command, context: CliContext): void {
  const describe =
    "Evaluate the risk signals of every account with deals (or --account) against the graphs now, and apply what changed: graph, Postgres and webhooks";
  tenantCommand(program, "risk", describe, "every tenant in the graphs or the projection")
    .option("--account <id>", "only this account (needs --tenant)")
    .option("--queue", "run it as a job on the reconciler's queue instead")
    .action(async (options: { tenant?: string; account?: string; json?: boolean; queue?: boolean }) => {
      if (options.account !== undefined && options.tenant === undefined) {
        throw new ValidationError("--account needs --tenant", [{ path: "account", message: "Name the tenant too (--tenant)" }]);
      }
      if (options.queue)
        return queueMaintenance(
          context,
          { kind: "risk_signals", ...tenantOf(options), ...(options.account ? { account_id: options.account } : {}) },
          options.json,
        );
      const config = context.config();
      const connection = bullConnection(config.redis, "dealgraph-cli");
      const webhooks = openQueue(QUEUE_NAMES.webhooks, { connection, prefix: config.redis.queuePrefix });
      try {
        await withTenants(context, options.tenant, async ({ graphs, db, tenants }) => {
          const refresher = new RiskSignalRefresher({
            graphs,
            db,
            thresholds: config.risk.thresholds,
            logger: context.logger(),
            events: new WebhookPublisher(db, webhooks, config.webhooks),
          });
          const results = [];
          for (const tenantId of tenants) {
            const outcomes = options.account ? [await refresher.refresh(tenantId, options.account)] : await refresher.refreshAccounts(tenantId);
            results.push({ tenantId, outcomes });
          }
          if (options.json) console.log(JSON.stringify({ tenants: results }, null, 2));
          else console.log(results.map((r) => formatChanges(r.tenantId, r.outcomes)).join("\n") || "no tenant has data in the graphs or the projection");
        });
      } finally {
        await closeQuietly(webhooks);
        await closeBullConnection(connection);
      }
    });
}
