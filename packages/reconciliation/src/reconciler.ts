import type { GraphName } from "@dealgraph/config";
import type { GraphClient } from "@dealgraph/graph";
import type { Logger } from "@dealgraph/logging";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { checksummedDiff, fullDiff } from "./checksummed-diff";
import { findOrphans } from "./graph-orphans";
import { ProjectionRepair } from "./projection-repair";
import { kindNamed, type ProjectionCatalog } from "./projection-catalog";
import { ReconcileRunRepository } from "./reconcile-run-repository";
import type { KindReport, TenantReport } from "./reconcile-report";
import { restampRevisions } from "./revision-stamps";

/**
 * Compares one tenant's graphs with its projection (DESIGN §11): per kind, by checksummed ranges
 * (sums of graph revisions per id bucket, computed inside each store; rows are read only in the
 * buckets that differ, and there counts, id sets and content hashes are compared as in full),
 * or with `full` every row of both sides, walked in id order a page at a time; either way no
 * id list is held whole in memory. Graph-side orphans are reported. With repair,
 * missing and stale rows are projected again from the graph and extra rows removed (up to the
 * ids the report keeps per kind; a later run takes the rest). Every run is recorded.
 */
export class Reconciler {
  private readonly repair: ProjectionRepair;
  private readonly runs: ReconcileRunRepository;

  constructor(
    private readonly deps: { graphs: Record<GraphName, GraphClient>; db: Kysely<Database>; catalog: ProjectionCatalog; logger: Logger; keep?: number },
  ) {
    this.repair = new ProjectionRepair(deps);
    this.runs = new ReconcileRunRepository(deps.db);
  }

  async reconcileTenant(tenantId: string, options: { repair: boolean; record?: boolean; full?: boolean }): Promise<TenantReport> {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const kinds: KindReport[] = [];
    for (const kind of this.deps.catalog.projectionKinds()) {
      const graph = this.deps.graphs[kind.graph];
      const { restamp, ...diff } = options.full
        ? await fullDiff(graph, this.deps.db, kind, tenantId, this.deps.keep)
        : await checksummedDiff(graph, this.deps.db, kind, tenantId, { keep: this.deps.keep });
      const restamped = await restampRevisions(graph, this.deps.db, kind, tenantId, restamp);
      kinds.push({ kind: kind.kind, ...diff, restamped });
    }
    const orphans = await findOrphans(this.deps.graphs, this.deps.catalog.orphanChecks(), tenantId, this.deps.keep);
    const drift = kinds.reduce((sum, k) => sum + k.missingCount + k.extraCount + k.staleCount, 0);
    const repaired = options.repair && drift > 0 ? await this.mend(tenantId, kinds) : null;
    const report: TenantReport = {
      tenantId,
      startedAt,
      ms: Math.round(performance.now() - started),
      repair: options.repair,
      full: options.full === true,
      drift,
      kinds,
      orphans,
      orphanCount: orphans.reduce((sum, o) => sum + o.count, 0),
      repaired,
      runId: null,
    };
    if (options.record !== false) report.runId = await this.runs.record(report);
    this.deps.logger.info({ tenant_id: tenantId, drift, orphans: report.orphanCount, repair: options.repair, ms: report.ms }, "reconciled");
    return report;
  }

  private async mend(tenantId: string, kinds: KindReport[]): Promise<NonNullable<TenantReport["repaired"]>> {
    const byKind = new Map(kinds.map((k) => [k.kind, k]));
    const repaired: NonNullable<TenantReport["repaired"]> = {};
    // Removals run children first (a version row before its parent's); re-projection parents
    // first (a version needs its parent row, an item its topic): the catalog lists parents first.
    const order = this.deps.catalog.projectionKinds().map((k) => k.kind);
    for (const name of [...order].reverse()) {
      const report = byKind.get(name);
      if (!report || report.extra.length === 0) continue;
      repaired[name] = { reprojected: 0, removed: await this.repair.removeExtras(kindNamed(this.deps.catalog, name), tenantId, report.extra) };
    }
    for (const name of order) {
      const report = byKind.get(name);
      const ids = report ? [...report.missing, ...report.stale] : [];
      if (ids.length === 0) continue;
      repaired[name] = { reprojected: await this.repair.reproject(kindNamed(this.deps.catalog, name), tenantId, ids), removed: repaired[name]?.removed ?? 0 };
    }
    this.deps.logger.info({ tenant_id: tenantId, repaired }, "reconcile: repaired");
    return repaired;
  }
}
