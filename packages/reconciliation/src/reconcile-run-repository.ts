import { withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import type { TenantReport } from "./reconcile-report";

/** Every reconcile run, per tenant, in `reconcile_runs` (DESIGN §11). */
export class ReconcileRunRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(report: TenantReport): Promise<string> {
    return withTenant(this.db, report.tenantId, async (trx) => {
      const row = await trx
        .insertInto("reconcile_runs")
        .values({
          tenant_id: report.tenantId,
          started_at: report.startedAt,
          duration_ms: report.ms,
          repair: report.repair,
          drift: report.drift,
          orphans: report.orphanCount,
          kinds: JSON.stringify(report.kinds),
          orphan_ids: JSON.stringify(Object.fromEntries(report.orphans.map((o) => [o.name, { count: o.count, ids: o.ids }]))),
          repaired: report.repaired ? JSON.stringify(report.repaired) : null,
        })
        .returning("run_id")
        .executeTakeFirstOrThrow();
      return row.run_id;
    });
  }

  /** The tenant's latest runs, newest first. */
  async latest(tenantId: string, limit = 10) {
    return withTenant(this.db, tenantId, (trx) =>
      trx.selectFrom("reconcile_runs").selectAll().where("tenant_id", "=", tenantId).orderBy("started_at", "desc").limit(limit).execute(),
    );
  }
}
