import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";

/*
 * A worker's turn check (InboxRepository.getForWork) as one round trip. It is the fleet's most
 * frequent query: a job that is not yet its account's turn asks again after each wait. Inside a
 * tenant transaction it costs four (begin, set_config, the select, commit); as a function that
 * sets the tenant scope for its own statement's transaction, one.
 *
 * SECURITY INVOKER (the default): the select runs as the calling role, under the inbox's
 * row-level security, scoped to `for_tenant` exactly as withTenant scopes a transaction. The
 * setting is transaction-local and the call is its own transaction, so it ends with the call.
 * A SQL function runs its statements in order, so the select sees the setting.
 *
 * The returned columns are the inbox's own, then the runs (pipeline → {status, result}) and the
 * count of the account's earlier envelopes still queued for the pipeline (up to earlier_limit):
 * a change to the inbox's columns comes with a migration that replaces this function.
 */
export function inboxForWork(context: MigrationContext): Migration {
  return {
    async up(db) {
      await sql`
        create function dealgraph_inbox_for_work(for_tenant uuid, for_interaction uuid, for_pipeline text, earlier_limit integer)
        returns table (
          tenant_id uuid, interaction_id uuid, seq bigint, account_id text, occurred_at timestamptz, envelope jsonb,
          received_at timestamptz, updated_at timestamptz, content_hash text, runs jsonb, earlier_queued bigint
        )
        language sql volatile set search_path = public
        as $$
          select set_config('app.tenant_id', for_tenant::text, true);
          select entry.tenant_id, entry.interaction_id, entry.seq, entry.account_id, entry.occurred_at, entry.envelope,
                 entry.received_at, entry.updated_at, entry.content_hash,
                 (select coalesce(jsonb_object_agg(run.pipeline, jsonb_build_object('status', run.status, 'result', run.result)), '{}')
                    from inbox_pipeline_runs run
                   where run.tenant_id = entry.tenant_id and run.interaction_id = entry.interaction_id),
                 (select count(*) from (
                    select 1
                      from inbox earlier
                      join inbox_pipeline_runs run on run.tenant_id = earlier.tenant_id and run.interaction_id = earlier.interaction_id
                     where earlier.tenant_id = entry.tenant_id and earlier.account_id = entry.account_id
                       and run.pipeline = for_pipeline and run.status = 'queued'
                       and (earlier.occurred_at < entry.occurred_at or (earlier.occurred_at = entry.occurred_at and earlier.seq < entry.seq))
                     limit earlier_limit) queued)
            from inbox entry
           where entry.tenant_id = for_tenant and entry.interaction_id = for_interaction
        $$`.execute(db);
      await sql`revoke all on function dealgraph_inbox_for_work(uuid, uuid, text, integer) from public`.execute(db);
      await sql`grant execute on function dealgraph_inbox_for_work(uuid, uuid, text, integer) to ${sql.id(context.appRole)}`.execute(db);
    },
    async down(db) {
      await sql`drop function if exists dealgraph_inbox_for_work(uuid, uuid, text, integer)`.execute(db);
    },
  };
}
