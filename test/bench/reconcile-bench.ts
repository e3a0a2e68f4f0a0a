import type { Config, GraphName } from "@dealgraph/config";
import type { GraphClient } from "@dealgraph/graph";
import { createDatabase, withTenant } from "@dealgraph/store";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { deleteTenantData } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { seedScaleTenant } from "../support/scale-tenant";
import { row, type BenchRow } from "./report";

interface ReconcileRun {
  ms: number;
  peakRssMb: number;
  drift: number;
  rowsRead: number;
}

async function reconcile(tenantId: string, args: string[] = []): Promise<ReconcileRun> {
  const started = performance.now();
  const run = await dealgraph(["reconcile", "--tenant", tenantId, "--json", ...args]);
  const ms = performance.now() - started;
  if (!run.stdout) throw new Error(`reconcile failed (${run.code}): ${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as { tenants: Array<{ drift: number; kinds: Array<{ comparison: { rowsRead: number } }> }>; peakRssMb: number };
  const [tenant] = parsed.tenants;
  return { ms, peakRssMb: parsed.peakRssMb, drift: tenant?.drift ?? -1, rowsRead: tenant?.kinds.reduce((sum, k) => sum + k.comparison.rowsRead, 0) ?? 0 };
}

/**
 * Damages `count` rows scattered over the projection, as drift arrives in practice: most edited
 * behind the projection's back (stale), some deleted (missing), a few deals' columns rewritten.
 */
async function scatterDifferences(config: Config, tenantId: string, count: number): Promise<void> {
  const db = createDatabase({ url: config.postgres.url, applicationName: "bench-reconcile" });
  try {
    await withTenant(db, tenantId, async (trx) => {
      const deleted = Math.floor(count / 5);
      const deals = Math.floor(count / 10);
      const edited = count - deleted - deals;
      // One draw for both, so no row is edited and then deleted (which would be one difference, not two).
      const picked = await sql<{
        id: string;
      }>`SELECT action_item_id::text AS id FROM action_items WHERE tenant_id = ${tenantId} ORDER BY random() LIMIT ${edited + deleted}`.execute(trx);
      const ids = picked.rows.map((r) => r.id);
      await sql`UPDATE action_items SET text = text || ' (edited)' WHERE action_item_id::text = ANY(${ids.slice(0, edited)}::text[])`.execute(trx);
      await sql`DELETE FROM action_items WHERE action_item_id::text = ANY(${ids.slice(edited)}::text[])`.execute(trx);
      await sql`UPDATE opportunities SET qualification_status = 'edited' WHERE id IN
                (SELECT id FROM opportunities WHERE tenant_id = ${tenantId} ORDER BY random() LIMIT ${deals})`.execute(trx);
    });
  } finally {
    await db.destroy();
  }
}

/**
 * Benchmark 5: reconcile of one large tenant (a million action items and 100,000 deals in a full
 * run, seeded into the graphs and projected by backfill): a clean pass and a pass over 100
 * scattered differences by checksummed ranges, each against `--full` (every row compared), with
 * wall time and peak memory of the whole CLI process and the rows it read.
 */
export async function reconcileBench(config: Config, graphs: Record<GraphName, GraphClient>, size: { items: number; deals: number }): Promise<BenchRow[]> {
  const tenantId = randomUUID();
  const differences = 100;
  try {
    const seeded = performance.now();
    await seedScaleTenant(graphs, tenantId, { items: size.items, topics: 100, deals: size.deals });
    const seedMs = performance.now() - seeded;
    const started = performance.now();
    const backfill = await dealgraph(["backfill", "--tenant", tenantId, "--json"]);
    const backfillMs = performance.now() - started;
    if (backfill.code !== 0) throw new Error(`backfill failed: ${backfill.stderr}`);
    const empty = await reconcile(randomUUID());
    const clean = await reconcile(tenantId);
    if (clean.drift !== 0) throw new Error(`reconcile found drift ${clean.drift} after a backfill`);
    await scatterDifferences(config, tenantId, differences);
    const drifted = await reconcile(tenantId);
    // One full pass is the reference for both: it reads every row whatever the drift.
    const driftedFull = await reconcile(tenantId, ["--full"]);
    if (drifted.drift !== differences || driftedFull.drift !== differences)
      throw new Error(`reconcile found ${drifted.drift} (checksums) and ${driftedFull.drift} (full) of ${differences} differences`);
    const label = `${size.items.toLocaleString("en-US")} items + ${size.deals.toLocaleString("en-US")} deals`;
    const full = size.items >= 1_000_000;
    return [
      row(
        "5 reconcile",
        `clean pass, ${label}`,
        clean.ms / 1000,
        "s",
        { name: "--full", value: driftedFull.ms / 1000 },
        full ? { text: "< 20 s", met: clean.ms < 20_000 } : undefined,
      ),
      row(
        "5 reconcile",
        `${differences} scattered differences, all found`,
        drifted.ms / 1000,
        "s",
        { name: "--full", value: driftedFull.ms / 1000 },
        full ? { text: "< 30 s", met: drifted.ms < 30_000 } : undefined,
      ),
      row("5 reconcile", "rows read, clean pass", clean.rowsRead, "rows", { name: "--full", value: driftedFull.rowsRead }),
      row("5 reconcile", `rows read, ${differences} differences`, drifted.rowsRead, "rows", { name: "--full", value: driftedFull.rowsRead }),
      row(
        "5 reconcile",
        "peak RSS, clean pass",
        clean.peakRssMb,
        "MB",
        { name: "empty tenant", value: empty.peakRssMb },
        full ? { text: "< 300 MB", met: clean.peakRssMb < 300 } : undefined,
      ),
      row(
        "5 reconcile",
        `peak RSS, ${differences} differences`,
        drifted.peakRssMb,
        "MB",
        { name: "--full", value: driftedFull.peakRssMb },
        full ? { text: "< 300 MB", met: drifted.peakRssMb < 300 } : undefined,
      ),
      row("5 reconcile", `seed the graphs, ${label}`, seedMs / 1000, "s"),
      row("5 reconcile", `backfill, ${label}`, backfillMs / 1000, "s"),
    ];
  } finally {
    // A failed clean-up is reported, not thrown: the figures above were measured.
    await deleteTenantData(config, [graphs.action_items, graphs.deals], [tenantId]).catch((error: unknown) =>
      process.stderr.write(`bench: could not delete the scale tenant ${tenantId}: ${(error as Error).message}\n`),
    );
  }
}
