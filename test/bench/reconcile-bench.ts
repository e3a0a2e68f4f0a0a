import type { Config, GraphName } from "@dealgraph/config";
import type { GraphClient } from "@dealgraph/graph";
import { randomUUID } from "node:crypto";
import { deleteTenantData } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { seedScaleTenant } from "../support/scale-tenant";
import { row, type BenchRow } from "./report";

interface ReconcileRun {
  ms: number;
  peakRssMb: number;
  drift: number;
}

async function reconcile(tenantId: string, env: NodeJS.ProcessEnv = {}): Promise<ReconcileRun> {
  const started = performance.now();
  const run = await dealgraph(["reconcile", "--tenant", tenantId, "--json"], env);
  const ms = performance.now() - started;
  if (!run.stdout) throw new Error(`reconcile failed (${run.code}): ${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as { tenants: Array<{ drift: number }>; peakRssMb: number };
  return { ms, peakRssMb: parsed.peakRssMb, drift: parsed.tenants[0]?.drift ?? -1 };
}

/**
 * Benchmark 5: reconcile of one large tenant (100,000 action items and 10,000 deals, projected
 * by backfill): wall time and peak memory of the whole CLI process, with Node's default heap and
 * with a 128 MB heap cap, against the same process over an empty tenant.
 */
export async function reconcileBench(config: Config, graphs: Record<GraphName, GraphClient>, size: { items: number; deals: number }): Promise<BenchRow[]> {
  const tenantId = randomUUID();
  try {
    await seedScaleTenant(graphs, tenantId, { items: size.items, topics: 100, deals: size.deals });
    const started = performance.now();
    const backfill = await dealgraph(["backfill", "--tenant", tenantId, "--json"]);
    const backfillMs = performance.now() - started;
    if (backfill.code !== 0) throw new Error(`backfill failed: ${backfill.stderr}`);
    const empty = await reconcile(randomUUID());
    const uncapped = await reconcile(tenantId);
    const capped = await reconcile(tenantId, { NODE_OPTIONS: "--max-old-space-size=128" });
    if (uncapped.drift !== 0 || capped.drift !== 0) throw new Error(`reconcile found drift ${uncapped.drift} after a backfill`);
    const label = `${size.items.toLocaleString("en-US")} items + ${size.deals.toLocaleString("en-US")} deals`;
    const full = size.items >= 100_000;
    return [
      row(
        "5 reconcile",
        `wall time, ${label}`,
        uncapped.ms / 1000,
        "s",
        { name: "empty tenant", value: empty.ms / 1000 },
        full ? { text: "< 30 s", met: uncapped.ms < 30_000 } : undefined,
      ),
      row(
        "5 reconcile",
        "peak RSS, default heap",
        uncapped.peakRssMb,
        "MB",
        { name: "empty tenant", value: empty.peakRssMb },
        full ? { text: "< 300 MB", met: uncapped.peakRssMb < 300 } : undefined,
      ),
      row("5 reconcile", "wall time, 128 MB heap cap", capped.ms / 1000, "s", { name: "default heap", value: uncapped.ms / 1000 }),
      row("5 reconcile", "peak RSS, 128 MB heap cap", capped.peakRssMb, "MB", { name: "empty tenant", value: empty.peakRssMb }),
      row("5 reconcile", `backfill first, ${label}`, backfillMs / 1000, "s"),
    ];
  } finally {
    await deleteTenantData(config, [graphs.action_items, graphs.deals], [tenantId]);
  }
}
