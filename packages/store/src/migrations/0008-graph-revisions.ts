import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";
import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";

/*
 * Graph revisions (see @dealgraph/graph's revision.ts): each projected row keeps the revision of
 * the graph node it was projected from, so the reconciler compares ranges of rows by summing
 * revisions inside Postgres and reads rows only where a range differs. A change to a compared
 * column that does not come with a new revision (anyone editing the row but the projection)
 * forgets the row's revision, so the next comparison reads that row and finds the drift.
 *
 * The compared columns are those the reconciler's projection kinds hash, as they stand at this
 * migration; a later change to a kind's columns comes with a migration that replaces its trigger.
 */
export const REVISED_COLUMNS: ReadonlyArray<{ table: string; revision: string; compared: readonly string[] }> = [
  {
    table: "opportunities",
    revision: "graph_revision",
    compared: [
      "deal_ref",
      "extraction_version",
      "qualification_status",
      "meddic_completeness",
      "ontology_completeness",
      "source_interaction_id",
      ...MEDDIC_FIELDS.map((field) => `meddic_${field}`),
      ...ONTOLOGY_DIMENSIONS.map((dim) => `dim_${dim}`),
    ],
  },
  {
    table: "deal_versions",
    revision: "graph_revision",
    compared: ["opportunity_id", "version_number", "change_source_interaction_id", ...MEDDIC_FIELDS.map((field) => `meddic_${field}`)],
  },
  { table: "interactions", revision: "deals_graph_revision", compared: ["deal_count", "account_id"] },
  { table: "interactions", revision: "action_items_graph_revision", compared: ["action_item_count", "account_id"] },
  { table: "topics", revision: "graph_revision", compared: ["account_id", "name", "summary", "version"] },
  { table: "topic_versions", revision: "graph_revision", compared: ["topic_id", "version_number", "name"] },
  { table: "owners", revision: "graph_revision", compared: ["name", "normalized_name"] },
  { table: "action_items", revision: "graph_revision", compared: ["account_id", "text", "status", "owner_id", "topic_id", "version"] },
  { table: "action_item_versions", revision: "graph_revision", compared: ["action_item_id", "version_number", "text", "status"] },
];

const triggerName = (table: string, revision: string) => `${table}_${revision}_forgotten`;

export function graphRevisions(context: MigrationContext): Migration {
  return {
    async up(db) {
      // Sets the column its trigger names (TG_ARGV[0]) to null; the trigger's WHEN says when.
      await sql`
        create function dealgraph_forget_graph_revision() returns trigger language plpgsql as $$
        begin
          new := jsonb_populate_record(new, jsonb_build_object(tg_argv[0], null));
          return new;
        end $$`.execute(db);
      for (const { table, revision, compared } of REVISED_COLUMNS) {
        const t = sql.id(table);
        const r = sql.id(revision);
        await sql`alter table ${t} add column ${r} bigint`.execute(db);
        const columns = (side: "new" | "old") => sql.join(compared.map((column) => sql`${sql.raw(side)}.${sql.id(column)}`));
        await sql`
          create trigger ${sql.id(triggerName(table, revision))} before update on ${t}
          for each row when (new.${r} is not distinct from old.${r} and (${columns("new")}) is distinct from (${columns("old")}))
          execute function dealgraph_forget_graph_revision(${sql.lit(revision)})`.execute(db);
      }
      // The CRM shares opportunities, so the app's grants there are per column (0001).
      await sql`grant insert (graph_revision), update (graph_revision) on opportunities to ${sql.id(context.appRole)}`.execute(db);
    },
    async down(db) {
      for (const { table, revision } of REVISED_COLUMNS) {
        await sql`drop trigger if exists ${sql.id(triggerName(table, revision))} on ${sql.id(table)}`.execute(db);
        await sql`alter table ${sql.id(table)} drop column if exists ${sql.id(revision)}`.execute(db);
      }
      await sql`drop function if exists dealgraph_forget_graph_revision()`.execute(db);
    },
  };
}
