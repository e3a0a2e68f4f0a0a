import { runSummarySchema } from "@dealgraph/contracts";
import { GraphProjector, drivenPipeline, openOnGraph, summarizeRun, type PipelineModule, type ProjectionKind } from "@dealgraph/pipeline-kit";
import { isolateTenants, upsertRows, withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely, type Transaction } from "kysely";
import { z } from "zod";
import { Neo4jWordCountStore, WordCountPipeline, readCounts, type WordCountIds, type WordCountResult, type WordCountRow } from "./word-count-pipeline";

/*
 * The test suite's third pipeline, registered through PIPELINE_MODULES: everything the fleet
 * needs of it is in this folder (module, stages, graph store, projection, its table's
 * migration). Nothing outside it names it.
 */

const writeRows = (db: Kysely<Database>, tenantId: string, rows: readonly WordCountRow[]) =>
  withTenant(db, tenantId, (trx) =>
    upsertRows(
      trx,
      "word_counts",
      rows.map((r) => ({ ...r, words: Number(r.words) })),
      { key: ["tenant_id", "interaction_id"] },
    ),
  );

const wordCountKind: ProjectionKind = {
  kind: "word_counts",
  graph: "action_items",
  label: "WordCount",
  idProperty: "interaction_id",
  table: "word_counts",
  idColumn: "interaction_id",
  columns: { words: "int" },
  rowOf: (p) => ({ words: p.words }),
  backfill: true,
  async reproject({ graph, db }, tenantId, ids) {
    const rows = await graph.read((tx) => readCounts(tx, tenantId, ids));
    if (rows.length > 0) await writeRows(db, tenantId, rows);
    return rows.length;
  },
  async removeExtras(trx, ids) {
    const untyped = trx as unknown as Transaction<{ word_counts: { interaction_id: string } }>;
    return Number(
      (
        await untyped
          .deleteFrom("word_counts")
          .where("interaction_id", "in", [...ids])
          .executeTakeFirst()
      ).numDeletedRows,
    );
  },
};

export const pipelineModule: PipelineModule = {
  name: "word_counts",
  graph: "action_items",
  workerName: "worker-word-counts",
  healthPort: () => 9199,
  skipReason: () => null,
  runSummarySchema: runSummarySchema({ words: z.number().int() }),
  projectionKinds: [wordCountKind],
  orphanChecks: [],
  migrations: (context) => ({
    "0001-word-counts": {
      async up(db) {
        await sql`
          create table word_counts (
            tenant_id uuid not null,
            interaction_id uuid not null,
            words integer not null,
            counted_at timestamptz not null,
            primary key (tenant_id, interaction_id)
          )`.execute(db);
        await isolateTenants(db, "word_counts");
        await sql`grant select, insert, update, delete on word_counts to ${sql.id(context.appRole)}`.execute(db);
      },
      async down(db) {
        await sql`drop table if exists word_counts`.execute(db);
      },
    },
  }),
  async open(config, deps) {
    const opened = await openOnGraph(
      config,
      "action_items",
      deps,
      (graph) => {
        const projector = new GraphProjector(graph, {
          read: (tx, tenantId, interactionId, linked: WordCountIds | null) => readCounts(tx, tenantId, linked ?? [interactionId]),
          write: async (tenantId, rows) => ({ word_counts: await writeRows(deps.db, tenantId, rows) }),
        });
        return new WordCountPipeline({ store: new Neo4jWordCountStore(graph), projector, logger: deps.logger });
      },
      ["CREATE CONSTRAINT word_count_key IF NOT EXISTS FOR (n:WordCount) REQUIRE (n.tenant_id, n.interaction_id) IS UNIQUE"],
    );
    return drivenPipeline(opened, (result: WordCountResult) => summarizeRun(result, { words: result.words }));
  },
};
