import { sql, type Migration } from "kysely";
import { detectEmbeddingStorage, embeddingColumnType } from "../embedding-column";
import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";
import { CRM_OWNED_COLUMNS, INSERT_ONLY_COLUMNS, SYSTEM_WRITTEN_COLUMNS } from "../ontology";
import type { MigrationContext } from "./migration-context";
import { isolateTenants } from "./tenant-isolation";

/** The projection's tables; each holds tenant data and gets row-level security. */
export const PROJECTION_TABLES = [
  "interactions",
  "owners",
  "topics",
  "topic_versions",
  "action_items",
  "action_item_versions",
  "opportunities",
  "deal_versions",
  "interaction_links",
] as const;

const ids = (names: readonly string[]) => sql.join(names.map((name) => sql.id(name)));

/** What every version table keeps beside its snapshot: what changed, from which interaction, and when the snapshot held. */
const VERSION_HISTORY = sql`
          change_summary text,
          changed_fields text[] not null default '{}',
          change_source_interaction_id uuid,
          valid_from timestamptz not null,
          valid_until timestamptz,
          created_at timestamptz not null default now(),
          primary key (tenant_id, version_id)`;

/**
 * The projection schema of DESIGN.md §8. Written as SQL because most of it (row-level security,
 * the forecast trigger, column privileges) has no schema-builder form; identifiers that come from
 * configuration go through `sql.id`, and the column lists come from the extraction vocabulary and ontology.ts.
 */
export function projectionSchema(context: MigrationContext): Migration {
  return {
    async up(db) {
      const embedding = embeddingColumnType(await detectEmbeddingStorage(db), context.embeddingDimension);
      const app = sql.id(context.appRole);

      await sql`
        create function dealgraph_current_tenant() returns uuid
        language sql stable
        -- With no tenant set (or an empty one) this is null, and "tenant_id = null" matches no row.
        as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$`.execute(db);

      await sql`
        create table interactions (
          tenant_id uuid not null,
          interaction_id uuid not null,
          account_id text,
          user_id text,
          interaction_type text not null,
          source text not null,
          occurred_at timestamptz not null,
          deal_count integer,
          action_item_count integer,
          deals_processed_at timestamptz,
          action_items_processed_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          primary key (tenant_id, interaction_id)
        )`.execute(db);
      await sql`create index interactions_account on interactions (tenant_id, account_id, occurred_at)`.execute(db);

      await sql`
        create table owners (
          tenant_id uuid not null,
          owner_id uuid not null,
          name text not null,
          normalized_name text not null,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          primary key (tenant_id, owner_id),
          unique (tenant_id, normalized_name)
        )`.execute(db);

      await sql`
        create table topics (
          tenant_id uuid not null,
          topic_id uuid not null,
          account_id text,
          name text not null,
          normalized_name text not null,
          summary text,
          version integer not null default 1,
          embedding ${embedding},
          embedding_current ${embedding},
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          primary key (tenant_id, topic_id)
        )`.execute(db);
      await sql`create index topics_account on topics (tenant_id, account_id)`.execute(db);

      await sql`
        create table topic_versions (
          tenant_id uuid not null,
          version_id uuid not null,
          topic_id uuid not null,
          version_number integer not null,
          name text not null,
          summary text,
          ${VERSION_HISTORY},
          unique (tenant_id, topic_id, version_number),
          foreign key (tenant_id, topic_id) references topics (tenant_id, topic_id)
            on delete cascade deferrable initially deferred
        )`.execute(db);

      await sql`
        create table action_items (
          tenant_id uuid not null,
          action_item_id uuid not null,
          account_id text,
          text text not null,
          normalized_text text not null,
          status text not null check (status in ('open', 'in_progress', 'done', 'cancelled')),
          due_hint text,
          due_date date,
          owner_id uuid,
          topic_id uuid,
          confidence real,
          evidence_quote text,
          version integer not null default 1,
          embedding ${embedding},
          embedding_current ${embedding},
          source_interaction_id uuid,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          primary key (tenant_id, action_item_id),
          foreign key (tenant_id, owner_id) references owners (tenant_id, owner_id) deferrable initially deferred,
          foreign key (tenant_id, topic_id) references topics (tenant_id, topic_id) deferrable initially deferred
        )`.execute(db);
      await sql`create index action_items_account on action_items (tenant_id, account_id)`.execute(db);
      await sql`create index action_items_owner on action_items (tenant_id, owner_id)`.execute(db);
      await sql`create index action_items_topic on action_items (tenant_id, topic_id)`.execute(db);

      await sql`
        create table action_item_versions (
          tenant_id uuid not null,
          version_id uuid not null,
          action_item_id uuid not null,
          version_number integer not null,
          text text not null,
          status text not null,
          due_hint text,
          owner_id uuid,
          topic_id uuid,
          ${VERSION_HISTORY},
          unique (tenant_id, action_item_id, version_number),
          foreign key (tenant_id, action_item_id) references action_items (tenant_id, action_item_id)
            on delete cascade deferrable initially deferred
        )`.execute(db);

      const meddicColumns = MEDDIC_FIELDS.map((field) => sql`${sql.id(`meddic_${field}`)} text, ${sql.id(`meddic_${field}_confidence`)} real`);
      const dimensionColumns = ONTOLOGY_DIMENSIONS.map(
        (dim) => sql`${sql.id(`dim_${dim}`)} smallint check (${sql.id(`dim_${dim}`)} between 0 and 3), ${sql.id(`dim_${dim}_confidence`)} real`,
      );
      await sql`
        create table opportunities (
          id uuid primary key default gen_random_uuid(),
          tenant_id uuid not null,
          -- Set on insert by this system; the CRM owns them afterwards.
          name text,
          account_id text,
          currency text,
          -- CRM-owned (the forecast trigger below watches them).
          stage text,
          amount numeric(18, 2),
          close_date date,
          deal_status text,
          forecast_category text,
          next_step text,
          description text,
          lost_reason text,
          -- Forecast-owned.
          latest_forecast_amount numeric(18, 2),
          latest_forecast_close_date date,
          latest_forecast_category text,
          latest_forecast_confidence real,
          latest_forecast_at timestamptz,
          forecast_count integer not null default 0,
          attribute_maturity_stage text,
          latest_user_context text,
          -- Written by dealgraph.
          graph_opportunity_id uuid,
          deal_ref text,
          latest_ai_summary text,
          ai_evolution_summary text,
          ai_workflow_metadata jsonb,
          ${sql.join(meddicColumns)},
          meddic_completeness real,
          meddic_paper_process text,
          meddic_competition text,
          ${sql.join(dimensionColumns)},
          ontology_scores_json jsonb,
          ontology_completeness real,
          ontology_version text,
          extraction_embedding ${embedding},
          extraction_embedding_current ${embedding},
          extraction_confidence real,
          extraction_version integer,
          source_interaction_id uuid,
          qualification_status text,
          source_user_id text,
          ai_updated_at timestamptz,
          created_at timestamptz not null default now(),
          unique (tenant_id, graph_opportunity_id)
        )`.execute(db);
      await sql`create index opportunities_account on opportunities (tenant_id, account_id)`.execute(db);

      await sql`
        create function notify_forecast_inputs_changed() returns trigger
        language plpgsql
        as $$
        begin
          perform pg_notify(
            'opportunity_forecast_inputs',
            json_build_object('tenant_id', new.tenant_id, 'id', new.id)::text
          );
          return null;
        end
        $$`.execute(db);
      // "UPDATE OF" fires whenever a statement names one of these columns, changed or not: a
      // writer that merely mentions a CRM column is caught.
      await sql`
        create trigger opportunities_forecast_inputs
        after update of ${ids(CRM_OWNED_COLUMNS)} on opportunities
        for each row execute function notify_forecast_inputs_changed()`.execute(db);

      await sql`
        create table deal_versions (
          tenant_id uuid not null,
          version_id uuid not null,
          opportunity_id uuid not null,
          version_number integer not null,
          name text not null,
          stage text,
          amount numeric(18, 2),
          currency text,
          summary text,
          evolution_summary text,
          ${sql.join(MEDDIC_FIELDS.map((field) => sql`${sql.id(`meddic_${field}`)} text`))},
          ontology_scores jsonb,
          snapshot jsonb not null,
          ${VERSION_HISTORY},
          unique (tenant_id, opportunity_id, version_number),
          foreign key (tenant_id, opportunity_id) references opportunities (tenant_id, graph_opportunity_id)
            on delete cascade deferrable initially deferred
        )`.execute(db);

      await sql`
        create table interaction_links (
          tenant_id uuid not null,
          interaction_id uuid not null,
          entity_type text not null check (entity_type in ('deal', 'action_item', 'topic', 'owner')),
          entity_id uuid not null,
          relation text not null check (relation in ('created', 'updated', 'mentioned')),
          created_at timestamptz not null default now(),
          primary key (tenant_id, interaction_id, entity_type, entity_id)
        )`.execute(db);
      await sql`create index interaction_links_entity on interaction_links (tenant_id, entity_type, entity_id)`.execute(db);

      for (const table of PROJECTION_TABLES) await isolateTenants(db, table);

      await sql`grant usage on schema public to ${app}`.execute(db);
      await sql`grant execute on function dealgraph_current_tenant() to ${app}`.execute(db);
      for (const table of PROJECTION_TABLES.filter((t) => t !== "opportunities")) {
        await sql`grant select, insert, update, delete on ${sql.id(table)} to ${app}`.execute(db);
      }
      // The CRM shares `opportunities`: column privileges make the database itself refuse any
      // write by this system to a CRM- or forecast-owned column, or a rewrite of name/account.
      await sql`grant select on opportunities to ${app}`.execute(db);
      await sql`grant insert (${ids([...SYSTEM_WRITTEN_COLUMNS, ...INSERT_ONLY_COLUMNS])}) on opportunities to ${app}`.execute(db);
      await sql`grant update (${ids(SYSTEM_WRITTEN_COLUMNS.filter((c) => c !== "tenant_id"))}) on opportunities to ${app}`.execute(db);
    },

    async down(db) {
      for (const table of [...PROJECTION_TABLES].reverse()) {
        await sql`drop table if exists ${sql.id(table)} cascade`.execute(db);
      }
      await sql`drop function if exists notify_forecast_inputs_changed()`.execute(db);
      await sql`drop function if exists dealgraph_current_tenant()`.execute(db);
    },
  };
}
