import { randomUUID } from "node:crypto";
import type { Config, GraphName } from "@dealgraph/config";
import { loadCorpus } from "@dealgraph/corpus";
import type { GraphClient } from "@dealgraph/graph";
import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { accountEnvelope, roundTripsOf, TestFleet } from "../support/fleet";
import { deleteTenantData } from "../support/pipelines";
import { snapshotTenant, writeSnapshot } from "./direct-writes";
import { postInArrays } from "./json-poster";
import { row, type BenchRow } from "./report";

const PIPELINE_NAMES = { deals: "deals", action_items: "action items" } as const;

/**
 * Benchmark 2: envelopes per second from the first post until both pipelines completed every
 * envelope (api and both workers as processes with their default concurrency, offline model),
 * with each pipeline's Neo4j and Postgres round trips per envelope from the workers' own
 * counters; against writing the same nodes and rows directly with batched statements.
 *
 * The calls are the sample corpus's transcripts, re-posted under one tenant over `accounts`
 * accounts in timestamp order, so each account's calls merge into what its earlier calls made.
 */
export async function processingBench(
  config: Config,
  db: Kysely<Database>,
  graphs: Record<GraphName, GraphClient>,
  size: { envelopes: number; accounts: number },
): Promise<BenchRow[]> {
  // The workers' defaults, not the test fleet's short timings.
  const fleet = new TestFleet(config, {
    LOG_LEVEL: "warn",
    ORDERING_WINDOW_MS: "1000",
    JOB_STALLED_INTERVAL_MS: "30000",
    WORKER_CONCURRENCY: String(config.workers.concurrency),
  });
  const tenantId = randomUUID();
  const referenceTenant = randomUUID();
  // The reference's own connection, so that its Postgres statements are counted like the workers'.
  let referenceStatements = 0;
  const referenceDb = createDatabase({ url: config.postgres.url, applicationName: "bench-direct-writes", onStatement: () => referenceStatements++ });
  const texts = (await loadCorpus()).entries.map((e) => e.envelope.content.text);
  const start = Date.parse("2026-03-02T09:00:00Z");
  const envelopes = Array.from({ length: size.envelopes }, (_, i) =>
    accountEnvelope(tenantId, `bench-account-${i % size.accounts}`, start + Math.floor(i / size.accounts) * 86_400_000, texts[i % texts.length] as string),
  );
  try {
    await fleet.startApi();
    const workers = { deals: await fleet.startWorker("deals"), action_items: await fleet.startWorker("action_items") };
    const key = (await new ApiKeys(db).create(tenantId, "bench")).key;
    const before = { deals: await roundTripsOf(workers.deals), action_items: await roundTripsOf(workers.action_items) };

    const started = performance.now();
    await postInArrays(fleet.apiUrl, key, envelopes);
    await fleet.settled(db, tenantId, envelopes.length, 30 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    const after = { deals: await roundTripsOf(workers.deals), action_items: await roundTripsOf(workers.action_items) };
    const perEnvelope = (pipeline: "deals" | "action_items", store: "neo4j" | "postgres") =>
      (after[pipeline][store] - before[pipeline][store]) / envelopes.length;

    const snapshot = await snapshotTenant([graphs.action_items, graphs.deals], db, tenantId);
    const graphTrips = () => graphs.action_items.roundTrips() + graphs.deals.roundTrips();
    const graphTripsBefore = graphTrips();
    const referenceStarted = performance.now();
    await writeSnapshot([graphs.action_items, graphs.deals], referenceDb, snapshot, referenceTenant);
    const referenceSeconds = (performance.now() - referenceStarted) / 1000;
    const reference = { neo4j: graphTrips() - graphTripsBefore, postgres: referenceStatements };
    const nodes = snapshot.graphs.reduce((n, g) => n + g.nodes.length, 0);
    const rows = snapshot.tables.reduce((n, t) => n + t.rows.length, 0);
    process.stderr.write(
      `bench:   ${envelopes.length} envelopes made ${nodes} nodes and ${rows} rows; processed in ${seconds.toFixed(1)} s, written directly in ${referenceSeconds.toFixed(1)} s\n`,
    );

    const direct = { name: "direct batched writes", value: envelopes.length / referenceSeconds };
    const both = (store: "neo4j" | "postgres") => perEnvelope("deals", store) + perEnvelope("action_items", store);
    return [
      row("2 processing", "envelopes/s, posted → both pipelines done", envelopes.length / seconds, "/s", direct, {
        text: "≥ 0.5 × direct",
        met: envelopes.length / seconds >= 0.5 * direct.value,
      }),
      row("2 processing", "neo4j round trips per envelope, both pipelines", both("neo4j"), "", {
        name: "direct batched writes",
        value: reference.neo4j / envelopes.length,
      }),
      row("2 processing", "postgres round trips per envelope, both pipelines", both("postgres"), "", {
        name: "direct batched writes",
        value: reference.postgres / envelopes.length,
      }),
      ...(["deals", "action_items"] as const).flatMap((pipeline) => [
        row("2 processing", `  of which ${PIPELINE_NAMES[pipeline]}: neo4j`, perEnvelope(pipeline, "neo4j"), "", undefined, {
          text: "≤ 4",
          met: perEnvelope(pipeline, "neo4j") <= 4,
        }),
        row("2 processing", `  of which ${PIPELINE_NAMES[pipeline]}: postgres`, perEnvelope(pipeline, "postgres"), "", undefined, {
          text: "≤ 3",
          met: perEnvelope(pipeline, "postgres") <= 3,
        }),
      ]),
    ];
  } finally {
    await Promise.allSettled([fleet.stop(), referenceDb.destroy()]);
    await deleteTenantData(config, [graphs.action_items, graphs.deals], [tenantId, referenceTenant]);
  }
}
