import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GraphClient } from "@dealgraph/graph";
import { deleteTenantData } from "../support/pipelines";
import { seedScaleTenant } from "../support/scale-tenant";
import { dealgraph, projectRoot } from "../support/run-cli";
import { connectGraph, freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * Reconcile at scale: a tenant with 100,000 action items (projected by backfill) is compared in
 * ordered pages, so the process's memory stays bounded however many ids the tenant has. The
 * figures are written to test/artifacts/reconcile-scale.json.
 */

jest.setTimeout(900_000);

const ITEMS = 100_000;
const TOPICS = 100;
const MEMORY_LIMIT_MB = 300;
const HEAP_CAP_MB = 128;

const config = testConfig();
const tenantId = freshTenantId();
let aiGraph: GraphClient;
let dealGraph: GraphClient;

beforeAll(async () => {
  await migratedPostgres(config);
  aiGraph = await connectGraph(config, "action_items");
  dealGraph = await connectGraph(config, "deals");
}, 120_000);

afterAll(async () => {
  await deleteTenantData(config, [aiGraph, dealGraph], [tenantId]);
  await Promise.all([aiGraph.close(), dealGraph.close()]);
}, 600_000);

describe("reconcile at scale", () => {
  it(`compares a tenant with ${ITEMS.toLocaleString("en-US")} action items in bounded memory`, async () => {
    let started = performance.now();
    await seedScaleTenant({ action_items: aiGraph, deals: dealGraph }, tenantId, { items: ITEMS, topics: TOPICS, deals: 0 });
    const seedMs = performance.now() - started;

    started = performance.now();
    const backfill = await dealgraph(["backfill", "--tenant", tenantId, "--json"]);
    const backfillMs = performance.now() - started;
    expect({ code: backfill.code, stderr: backfill.stderr }).toEqual({ code: 0, stderr: "" });

    // A heap capped well below the limit: the run can only finish if what it keeps does not grow
    // with the tenant (without a cap V8 collects lazily and the peak says little).
    started = performance.now();
    const run = await dealgraph(["reconcile", "--tenant", tenantId, "--json"], { NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}` });
    const reconcileMs = performance.now() - started;
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    const { tenants, peakRssMb } = JSON.parse(run.stdout) as {
      tenants: Array<{ drift: number; orphanCount: number; ms: number; kinds: Array<{ kind: string; graph: number; postgres: number }> }>;
      peakRssMb: number;
    };
    const [report] = tenants;
    expect(report?.kinds.find((k) => k.kind === "action_items")).toMatchObject({ graph: ITEMS, postgres: ITEMS });
    expect({ drift: report?.drift, orphans: report?.orphanCount }).toEqual({ drift: 0, orphans: 0 });
    expect(peakRssMb).toBeLessThan(MEMORY_LIMIT_MB);

    const figures = {
      action_items: ITEMS,
      topics: TOPICS,
      seed_graph_s: +(seedMs / 1000).toFixed(1),
      backfill_s: +(backfillMs / 1000).toFixed(1),
      reconcile_process_s: +(reconcileMs / 1000).toFixed(1),
      reconcile_compare_s: +((report?.ms ?? 0) / 1000).toFixed(1),
      reconcile_heap_cap_mb: HEAP_CAP_MB,
      reconcile_peak_rss_mb: peakRssMb,
    };
    const dir = path.join(projectRoot, "test", "artifacts");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "reconcile-scale.json"), `${JSON.stringify(figures, null, 2)}\n`);
  });
});
