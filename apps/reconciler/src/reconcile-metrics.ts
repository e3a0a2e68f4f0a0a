import type { TenantReport } from "@dealgraph/reconciliation";
import { registerQueueDepths } from "@dealgraph/worker-runtime";
import type { Queue } from "bullmq";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What the reconciler exports on /metrics: the last run's drift and orphans, and run counts and times. */
export class ReconcileMetrics {
  readonly registry = new Registry();
  private readonly drift = new Gauge({
    name: "dealgraph_reconcile_drift",
    help: "Rows missing, extra or stale in the last run, summed over tenants, by kind and side of the difference",
    labelNames: ["kind", "difference"] as const,
    registers: [this.registry],
  });
  private readonly orphans = new Gauge({ name: "dealgraph_reconcile_orphans", help: "Graph-side orphans found in the last run", registers: [this.registry] });
  private readonly tenants = new Gauge({ name: "dealgraph_reconcile_tenants", help: "Tenants compared in the last run", registers: [this.registry] });
  private readonly runs = new Counter({
    name: "dealgraph_reconcile_runs_total",
    help: "Reconcile runs by outcome (clean, drift, interrupted by shutdown, failed)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "dealgraph_reconcile_run_seconds",
    help: "Time to reconcile every tenant",
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900],
    registers: [this.registry],
  });

  /** `queues`: whose depths it exports beside the runs' figures. */
  constructor(queues: Queue[]) {
    collectDefaultMetrics({ register: this.registry });
    registerQueueDepths(this.registry, queues);
  }

  ran(reports: TenantReport[], seconds: number, { interrupted }: { interrupted: boolean }): void {
    if (interrupted) {
      // The gauges describe whole runs; a partial run's drift and time would mislead.
      this.runs.inc({ outcome: "interrupted" });
      return;
    }
    this.drift.reset();
    for (const report of reports) {
      for (const kind of report.kinds) {
        this.drift.inc({ kind: kind.kind, difference: "missing" }, kind.missingCount);
        this.drift.inc({ kind: kind.kind, difference: "extra" }, kind.extraCount);
        this.drift.inc({ kind: kind.kind, difference: "stale" }, kind.staleCount);
      }
    }
    this.orphans.set(reports.reduce((sum, r) => sum + r.orphanCount, 0));
    this.tenants.set(reports.length);
    this.runs.inc({ outcome: reports.some((r) => r.drift > 0) ? "drift" : "clean" });
    this.duration.observe(seconds);
  }

  failed(): void {
    this.runs.inc({ outcome: "failed" });
  }
}
