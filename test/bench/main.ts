import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDatabase } from "@dealgraph/store";
import { projectRoot } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";
import { dealRoomBench } from "./deal-room-bench";
import { enqueueBench } from "./enqueue-bench";
import { llmPathBench } from "./llm-path-bench";
import { matchingBench } from "./matching-bench";
import { offlineExtractionBench } from "./offline-extraction-bench";
import { processingBench } from "./processing-bench";
import { writeGroupingBench } from "./write-grouping-bench";
import { reconcileBench } from "./reconcile-bench";
import { scaleOutBench } from "./scale-out-bench";
import { formatTable, type BenchRow } from "./report";

/*
 * pnpm bench: benchmarks against the real local services, printed as one table (figure,
 * reference from the same run, ratio, target) and written to bench-results/latest.json.
 * `--smoke` runs each at a size that only proves it works (CI); `--only <name>` picks some.
 */

const BENCHMARKS = ["offline-extraction", "enqueue", "processing", "llm-path", "matching", "reconcile", "scale-out", "deal-room"] as const;
type BenchName = (typeof BENCHMARKS)[number];

function parseArgs(argv: string[]): { smoke: boolean; only: BenchName[] } {
  const smoke = argv.includes("--smoke");
  const onlyIndex = argv.indexOf("--only");
  const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? "").split(",") : [...BENCHMARKS];
  const unknown = only.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(", ")}; there are: ${BENCHMARKS.join(", ")}`);
  return { smoke, only: only as BenchName[] };
}

async function main(): Promise<void> {
  const { smoke, only } = parseArgs(process.argv.slice(2));
  const config = testConfig();
  await migratedPostgres(config);
  const db = createDatabase({ url: config.postgres.url, applicationName: "bench" });
  const graphs = { action_items: await connectGraph(config, "action_items"), deals: await connectGraph(config, "deals") };
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  try {
    // First, in a process that has not loaded the model yet, so its memory can be told apart.
    if (only.includes("offline-extraction")) {
      process.stderr.write("bench: offline extraction of a long call\n");
      rows.push(...(await offlineExtractionBench(config, smoke ? 2 : 7)));
    }
    if (only.includes("enqueue")) {
      process.stderr.write("bench: enqueue\n");
      rows.push(
        ...(await enqueueBench(
          config,
          db,
          smoke ? { envelopes: 100, concurrency: 8, perArray: 10, arraysInFlight: 2 } : { envelopes: 3000, concurrency: 32, perArray: 100, arraysInFlight: 8 },
        )),
      );
    }
    if (only.includes("processing")) {
      process.stderr.write("bench: processing, end to end\n");
      rows.push(...(await processingBench(config, db, graphs, smoke ? { envelopes: 24, accounts: 6 } : { envelopes: 400, accounts: 40 })));
      rows.push(...(await writeGroupingBench(config, graphs.deals, { writes: smoke ? 40 : 800 })));
    }
    if (only.includes("llm-path")) {
      process.stderr.write("bench: llm critical path (1,000 ms per completion, 200 ms per embeddings batch)\n");
      const result = await llmPathBench(config, graphs, db);
      rows.push(...result.rows);
      details["llm-path"] = result.figures;
    }
    if (only.includes("matching")) {
      process.stderr.write("bench: matching at scale\n");
      const size = smoke ? { deals: 2000, accounts: 20, otherTenants: 4, queries: 30 } : { deals: 100_000, accounts: 1000, otherTenants: 100, queries: 300 };
      rows.push(...(await matchingBench(graphs.deals, config.embeddings.dimension, size)));
    }
    if (only.includes("reconcile")) {
      process.stderr.write("bench: reconcile of a large tenant\n");
      rows.push(...(await reconcileBench(config, graphs, smoke ? { items: 2000, deals: 200 } : { items: 1_000_000, deals: 100_000 })));
    }
    if (only.includes("scale-out")) {
      process.stderr.write("bench: scale-out, processes on one machine\n");
      const size = smoke ? { envelopes: 24, accounts: 12, posts: 100, concurrency: 8 } : { envelopes: 240, accounts: 120, posts: 3000, concurrency: 32 };
      rows.push(...(await scaleOutBench(config, db, graphs, size)));
    }
    if (only.includes("deal-room")) {
      process.stderr.write("bench: the deal room on a large account\n");
      rows.push(...(await dealRoomBench(config, smoke ? { deals: 20, items: 500, requests: 5 } : { deals: 200, items: 5000, requests: 30 })));
    }
  } finally {
    await Promise.allSettled([db.destroy(), graphs.action_items.close(), graphs.deals.close()]);
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  console.log(`dealgraph benchmarks${smoke ? " (smoke)" : ""} — ${machine}\n`);
  console.log(formatTable(rows));
  const dir = path.join(projectRoot, "bench-results");
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, smoke ? "smoke.json" : "latest.json"),
    `${JSON.stringify({ at: new Date().toISOString(), machine, smoke, rows, details }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
