import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";
import { isolateTenants } from "./tenant-isolation";

/** The tables a tenant's projected entities live in; the reconciler lists tenants from them. */
const ENTITY_TABLES = ["opportunities", "deal_versions", "action_items", "action_item_versions", "topics", "topic_versions", "owners", "interactions"];

/**
 * The reconciler's records (DESIGN §11): one row per tenant per run, with each kind's counts
 * on both sides, the differing and orphaned ids (capped) and what a repair did; and the
 * backfill's checkpoints, so an interrupted backfill resumes where it stopped.
 *
 * Which tenants have projection rows at all, so that a tenant whose every row is extra (its
 * graph data gone) is still reconciled: statement triggers on every entity table record each
 * tenant they see in `projection_tenants` (ids only, whoever inserts, the system or anyone behind
 * its back), and the application role reads the list through `dealgraph_projection_tenants()`.
 * FORCE row-level security keeps binding the owner: no policy here reads across tenants.
 */
export function reconciliation(context: MigrationContext): Migration {
  return {
    async up(db) {
      const app = sql.id(context.appRole);
      await sql`
        create table reconcile_runs (
          run_id uuid primary key default gen_random_uuid(),
          tenant_id uuid not null,
          started_at timestamptz not null,
          duration_ms integer not null,
          repair boolean not null,
          -- Missing plus extra plus stale rows over every kind, before any repair.
          drift integer not null,
          orphans integer not null,
          -- Per kind: graph and postgres counts, missing / extra / stale counts and ids (capped).
          kinds jsonb not null,
          orphan_ids jsonb not null,
          repaired jsonb,
          created_at timestamptz not null default now()
        )`.execute(db);
      await sql`create index reconcile_runs_tenant on reconcile_runs (tenant_id, started_at desc)`.execute(db);

      await sql`
        create table backfill_checkpoints (
          tenant_id uuid not null,
          kind text not null,
          -- The --since the backfill ran with ('' for none): another window starts afresh.
          since text not null,
          last_id text not null,
          rows_written bigint not null default 0,
          updated_at timestamptz not null default now(),
          primary key (tenant_id, kind, since)
        )`.execute(db);

      for (const table of ["reconcile_runs", "backfill_checkpoints"]) {
        await isolateTenants(db, table);
        await sql`grant select, insert, update, delete on ${sql.id(table)} to ${app}`.execute(db);
      }

      await sql`
        create table projection_tenants (
          tenant_id uuid primary key,
          first_seen timestamptz not null default now()
        )`.execute(db);
      await sql`revoke all on projection_tenants from public`.execute(db);
      await sql`
        create function dealgraph_note_projection_tenants() returns trigger
        language plpgsql security definer set search_path = public
        as $$
        begin
          insert into projection_tenants (tenant_id)
            select distinct tenant_id from inserted_rows
            on conflict (tenant_id) do nothing;
          return null;
        end
        $$`.execute(db);
      for (const table of ENTITY_TABLES) {
        await sql`
          create trigger note_projection_tenants after insert on ${sql.id(table)}
          referencing new table as inserted_rows
          for each statement execute function dealgraph_note_projection_tenants()`.execute(db);
      }
      // Tenants already in the tables when this migration runs. FORCE hides every row from the
      // owner, so it is lifted for this one read, inside the migration's transaction: no other
      // connection ever sees it lifted.
      for (const table of ENTITY_TABLES) {
        await sql`alter table ${sql.id(table)} no force row level security`.execute(db);
        await sql`insert into projection_tenants (tenant_id) select distinct tenant_id from ${sql.id(table)} on conflict do nothing`.execute(db);
        await sql`alter table ${sql.id(table)} force row level security`.execute(db);
      }
      await sql`
        create function dealgraph_projection_tenants() returns setof uuid
        language sql stable security definer set search_path = public
        as $$ select tenant_id from projection_tenants order by tenant_id $$`.execute(db);
      await sql`revoke all on function dealgraph_projection_tenants() from public`.execute(db);
      await sql`grant execute on function dealgraph_projection_tenants() to ${app}`.execute(db);
    },

    async down(db) {
      await sql`drop function if exists dealgraph_projection_tenants()`.execute(db);
      for (const table of ENTITY_TABLES) await sql`drop trigger if exists note_projection_tenants on ${sql.id(table)}`.execute(db);
      await sql`drop function if exists dealgraph_note_projection_tenants()`.execute(db);
      await sql`drop table if exists projection_tenants`.execute(db);
      await sql`drop table if exists backfill_checkpoints`.execute(db);
      await sql`drop table if exists reconcile_runs`.execute(db);
    },
  };
}
