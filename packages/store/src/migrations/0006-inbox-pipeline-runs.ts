import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";
import { createColumnInboxUnfinished, isolateTenants } from "./tenant-isolation";

/**
 * Each pipeline's status and result for an envelope in a row of its own, rather than a pair of
 * columns per pipeline on the inbox: a new pipeline needs no migration. Today's columns are
 * moved over and dropped; `down` moves the two pipelines known then back.
 */
export function inboxPipelineRuns(context: MigrationContext): Migration {
  return {
    async up(db) {
      const app = sql.id(context.appRole);
      await sql`
        create table inbox_pipeline_runs (
          tenant_id uuid not null,
          interaction_id uuid not null,
          pipeline text not null check (pipeline ~ '^[a-z][a-z0-9_]{0,62}$'),
          -- queued, done, dead (dead-lettered) or skipped (nothing to do; result says why).
          status text not null default 'queued' check (status in ('queued', 'done', 'dead', 'skipped')),
          result jsonb,
          -- The envelope's arrival (the inbox row's received_at, written in the same transaction):
          -- the sweeper takes the oldest unfinished runs first without reading the inbox.
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          primary key (tenant_id, interaction_id, pipeline),
          foreign key (tenant_id, interaction_id) references inbox (tenant_id, interaction_id) on delete cascade
        )`.execute(db);
      await sql`create index inbox_pipeline_runs_unfinished on inbox_pipeline_runs (created_at) where status = 'queued'`.execute(db);
      await sql`
        insert into inbox_pipeline_runs (tenant_id, interaction_id, pipeline, status, result, created_at, updated_at)
        select tenant_id, interaction_id, 'action_items', action_items_status, action_items_result, received_at, updated_at from inbox
        union all
        select tenant_id, interaction_id, 'deals', deals_status,
               case when deals_status = 'skipped' and deals_result is null then '{"reason": "the envelope has no account_id"}'::jsonb else deals_result end,
               received_at, updated_at from inbox`.execute(db);
      await isolateTenants(db, "inbox_pipeline_runs");
      await sql`create policy sweeper_read on inbox_pipeline_runs for select to current_user using (true)`.execute(db);

      await sql`drop function if exists dealgraph_inbox_unfinished(interval, integer)`.execute(db);
      await sql`drop index if exists inbox_unfinished`.execute(db);
      await sql`alter table inbox drop column action_items_status, drop column deals_status, drop column action_items_result, drop column deals_result`.execute(
        db,
      );
      await sql`
        create function dealgraph_inbox_unfinished(older_than interval, max_rows integer)
        returns table (tenant_id uuid, interaction_id uuid, pipeline text)
        language sql stable security definer set search_path = public
        as $$
          select r.tenant_id, r.interaction_id, r.pipeline
          from inbox_pipeline_runs r
          where r.status = 'queued' and r.created_at < now() - older_than
          order by r.created_at
          limit max_rows
        $$`.execute(db);
      await sql`revoke all on function dealgraph_inbox_unfinished(interval, integer) from public`.execute(db);
      await sql`grant execute on function dealgraph_inbox_unfinished(interval, integer) to ${app}`.execute(db);
      await sql`grant select, insert, update on inbox_pipeline_runs to ${app}`.execute(db);
    },

    async down(db) {
      const app = sql.id(context.appRole);
      await sql`drop function if exists dealgraph_inbox_unfinished(interval, integer)`.execute(db);
      await sql`
        alter table inbox
          add column action_items_status text not null default 'queued' check (action_items_status in ('queued', 'done', 'dead', 'skipped')),
          add column deals_status text not null default 'queued' check (deals_status in ('queued', 'done', 'dead', 'skipped')),
          add column action_items_result jsonb,
          add column deals_result jsonb`.execute(db);
      // The owner is bound by the inbox's row-level security too (FORCE): lifted for the move.
      await sql`alter table inbox no force row level security`.execute(db);
      for (const pipeline of ["action_items", "deals"] as const) {
        const status = sql.id(`${pipeline}_status`);
        const result = sql.id(`${pipeline}_result`);
        await sql`
          update inbox i set ${status} = r.status, ${result} = r.result
          from inbox_pipeline_runs r
          where r.tenant_id = i.tenant_id and r.interaction_id = i.interaction_id and r.pipeline = ${pipeline}`.execute(db);
      }
      await sql`alter table inbox force row level security`.execute(db);
      await sql`create index inbox_unfinished on inbox (received_at) where action_items_status = 'queued' or deals_status = 'queued'`.execute(db);
      await createColumnInboxUnfinished(db);
      await sql`revoke all on function dealgraph_inbox_unfinished(interval, integer) from public`.execute(db);
      await sql`grant execute on function dealgraph_inbox_unfinished(interval, integer) to ${app}`.execute(db);
      await sql`drop table if exists inbox_pipeline_runs`.execute(db);
    },
  };
}
