import { pipelines } from "@dealgraph/pipelines";
import { ValidationError } from "@dealgraph/errors";
import { Backfill, Reconciler, type TenantReport } from "@dealgraph/reconciliation";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { Progress } from "../progress";
import { queueMaintenance, tenantCommand, tenantOf } from "../maintenance-commands";
import { withTenants } from "../tenant-services";

/** Widths of the report's figure columns: graph, postgres, missing, extra, stale, rows read. */
const COLUMN_WIDTHS = [8, 10, 9, 7, 7, 11];

function formatReport(r: TenantReport): string {
  const state = r.drift === 0 ? "graph and Postgres agree" : `DRIFT ${r.drift}${r.repaired ? " (repaired; run again to confirm)" : ""}`;
  const lines = [`tenant ${r.tenantId}: ${state}, ${r.orphanCount} orphan(s)  (${r.ms} ms, ${r.full ? "every row compared" : "checksummed ranges"})`];
  const header = ["graph", "postgres", "missing", "extra", "stale", "rows read"].map((h, i) => h.padStart(COLUMN_WIDTHS[i] ?? 8));
  lines.push(`  ${"kind".padEnd(26)}${header.join("")}`);
  for (const k of r.kinds) {
    const cells = [k.graph, k.postgres, k.missingCount, k.extraCount, k.staleCount, k.comparison.rowsRead].map((v, i) =>
      String(v).padStart(COLUMN_WIDTHS[i] ?? 8),
    );
    lines.push(`  ${k.kind.padEnd(26)}${cells.join("")}`);
    for (const [label, ids] of [
      ["missing", k.missing],
      ["extra  ", k.extra],
      ["stale  ", k.stale],
    ] as const) {
      for (const id of ids.slice(0, 20)) lines.push(`      ${label} ${id}`);
    }
  }
  for (const o of r.orphans.filter((o) => o.count > 0)) lines.push(`  orphans ${o.name}: ${o.count}  ${o.ids.slice(0, 10).join(" ")}`);
  if (r.repaired)
    for (const [kind, done] of Object.entries(r.repaired)) lines.push(`  repaired ${kind}: re-projected ${done.reprojected}, removed ${done.removed}`);
  return lines.join("\n");
}

export function registerReconcile(program: Command, context: CliContext): void {
  const reconcile =
    "Compare the graphs with the Postgres projection per tenant (checksummed id ranges, then counts, id sets and content hashes where they differ; orphans); exit 1 on drift";
  tenantCommand(program, "reconcile", reconcile, "every tenant in the graphs or the projection")
    .option("--repair", "re-project missing and stale rows from the graph and remove rows with no entity behind them")
    .option("--full", "compare every row's content hash instead of checksummed ranges (also finds graph nodes edited outside the pipelines)")
    .option("--queue", "run it as a job on the reconciler's queue instead (progress in Bull Board; one per tenant at a time)")
    .action(async (options: { tenant?: string; repair?: boolean; full?: boolean; json?: boolean; queue?: boolean }) => {
      if (options.queue) {
        const flags = { ...(options.repair ? { repair: true } : {}), ...(options.full ? { full: true } : {}) };
        return queueMaintenance(context, { kind: "reconcile", ...tenantOf(options), ...flags }, options.json);
      }
      const logger = context.logger();
      await withTenants(context, options.tenant, async ({ graphs, db, tenants }) => {
        const reconciler = new Reconciler({ graphs, db, catalog: pipelines, logger });
        const progress = new Progress("reconcile", tenants.length, !options.json && tenants.length > 1);
        const reports: TenantReport[] = [];
        for (const tenantId of tenants) {
          reports.push(await reconciler.reconcileTenant(tenantId, { repair: options.repair === true, full: options.full === true }));
          progress.update(reports.length);
        }
        progress.finish();
        const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
        if (options.json) console.log(JSON.stringify({ tenants: reports, peakRssMb }, null, 2));
        else if (reports.length === 0) console.log("no tenant has data in the graphs or the projection");
        else console.log(`${reports.map(formatReport).join("\n")}\npeak memory ${peakRssMb} MB`);
        // A repair run still exits 1: it found drift; the next run confirms it is gone.
        if (reports.some((r) => r.drift > 0)) process.exitCode = 1;
      });
    });

  const backfill = "Stream every deal, action item, topic and interaction of the graphs into Postgres (resumable, idempotent)";
  tenantCommand(program, "backfill", backfill, "every tenant in the graphs")
    .option("--since <iso-time>", "only entities changed since then")
    .option("--queue", "run it as a job on the reconciler's queue instead (progress in Bull Board; resumes from its checkpoints after a restart)")
    .action(async (options: { tenant?: string; since?: string; json?: boolean; queue?: boolean }) => {
      if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) {
        throw new ValidationError(`--since must be an ISO-8601 time, got "${options.since}"`, [{ path: "since", message: "Must be an ISO-8601 time" }]);
      }
      const since = options.since === undefined ? undefined : new Date(options.since).toISOString();
      if (options.queue) return queueMaintenance(context, { kind: "backfill", ...tenantOf(options), ...(since ? { since } : {}) }, options.json);
      await withTenants(context, options.tenant, async ({ graphs, db, tenants }) => {
        const backfill = new Backfill({ graphs, db, catalog: pipelines });
        const results = [];
        for (const tenantId of tenants) {
          const progress = new Progress(`backfill ${tenantId}`, null, !options.json);
          const written = await backfill.run(tenantId, {
            since,
            onProgress: (p) => progress.update(0, `${p.kind}: ${p.written} written${p.resumedFrom ? ` (resumed after ${p.resumedFrom})` : ""}`),
          });
          progress.finish();
          results.push({ tenant_id: tenantId, written });
          if (!options.json)
            console.log(
              `tenant ${tenantId}: ${Object.entries(written)
                .map(([kind, n]) => `${kind} ${n}`)
                .join(", ")}`,
            );
        }
        if (options.json) console.log(JSON.stringify(results, null, 2));
      });
    });
}
