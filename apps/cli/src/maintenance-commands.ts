import { QUEUE_NAMES, bullConnection, closeBullConnection, closeQuietly, enqueueMaintenance, openQueue, type MaintenanceJob } from "@dealgraph/queues";
import type { Command } from "commander";
import { requireUuid } from "./arguments";
import type { CliContext } from "./cli-context";

/* What the maintenance commands (reconcile, backfill, risk) share: the tenant option and the way onto the reconciler's queue. */

export const tenantOf = (options: { tenant?: string }) => (options.tenant ? { tenant_id: requireUuid(options.tenant, "--tenant", "tenant") } : {});

/** Puts the work on the reconciler's queue (risk refreshes on theirs) and says which job it is; the reconciler process runs it. */
export async function queueMaintenance(context: CliContext, job: MaintenanceJob, json: boolean | undefined): Promise<void> {
  const config = context.config();
  const connection = bullConnection(config.redis, "dealgraph-cli");
  const queue = openQueue(job.kind === "risk_signals" ? QUEUE_NAMES.riskSignals : QUEUE_NAMES.reconcile, { connection, prefix: config.redis.queuePrefix });
  try {
    const { id } = await enqueueMaintenance(queue, job);
    const state = await queue.getJobState(id);
    if (json) return console.log(JSON.stringify({ job_id: id, state, ...job }, null, 2));
    console.log(
      `${job.kind} of ${job.tenant_id ?? "every tenant"}: job ${id} on the ${queue.name} queue (${state}); the reconciler runs it, Bull Board shows its progress`,
    );
  } finally {
    await closeQuietly(queue);
    await closeBullConnection(connection);
  }
}

/** A command over one tenant or all of them, with `--tenant` and `--json`. */
export const tenantCommand = (program: Command, name: string, description: string, allTenants: string) =>
  program.command(name).description(description).option("--tenant <uuid>", `one tenant (default: ${allTenants})`).option("--json", "print JSON");
