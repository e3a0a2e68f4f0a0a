import type { Logger } from "@dealgraph/logging";
import type { MaintenanceJob } from "@dealgraph/queues";
import type { RiskSignalRefresher } from "@dealgraph/risk-signals";
import type { Job } from "bullmq";

/** A risk_signals job: one account of a tenant (after an applied envelope), or every account with deals of the tenants given (the sweep). */
export class RiskJobs {
  constructor(
    private readonly refresher: RiskSignalRefresher,
    private readonly logger: Logger,
  ) {}

  async run(job: Job, task: MaintenanceJob, tenants: readonly string[], signal?: AbortSignal): Promise<{ tenants: number; accounts: number; changes: number }> {
    let accounts = 0;
    let changes = 0;
    for (const [done, tenantId] of tenants.entries()) {
      // A shutdown stops between tenants (and between accounts within one); the next sweep goes on from there.
      if (signal?.aborted) break;
      const outcome = task.account_id
        ? { accounts: 1, changes: (await this.refresher.refresh(tenantId, task.account_id)).changes.length }
        : await this.refresher.refreshTenant(tenantId, signal);
      accounts += outcome.accounts;
      changes += outcome.changes;
      if (!task.account_id) await job.updateProgress({ tenants: tenants.length, done: done + 1, tenant_id: tenantId });
    }
    this.logger.info(
      { job_id: job.id, tenants: tenants.length, accounts, changes, ...(task.account_id ? { account_id: task.account_id } : {}) },
      "risk signals refreshed",
    );
    return { tenants: tenants.length, accounts, changes };
  }
}
