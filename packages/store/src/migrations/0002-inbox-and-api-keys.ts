import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";
import { createColumnInboxUnfinished, isolateTenants } from "./tenant-isolation";

/**
 * The api's side of the fleet (DESIGN §2, §9): the inbox every accepted envelope is stored in
 * before it is enqueued (jobs carry ids, the transcript stays here), and the per-tenant API keys.
 *
 * `api_keys` holds only SHA-256 hashes, and the application role cannot read it at all: it can
 * only ask `dealgraph_api_key_tenant(hash)` which tenant a key belongs to, and create keys
 * through `dealgraph_create_api_key`. Both are SECURITY DEFINER functions owned by the schema
 * owner, as is `dealgraph_inbox_unfinished`, the sweeper's one cross-tenant read.
 */
export function inboxAndApiKeys(context: MigrationContext): Migration {
  return {
    async up(db) {
      const app = sql.id(context.appRole);

      await sql`
        create table api_keys (
          key_id uuid primary key default gen_random_uuid(),
          tenant_id uuid not null,
          key_hash text not null unique,
          label text,
          created_at timestamptz not null default now(),
          revoked_at timestamptz
        )`.execute(db);

      await sql`
        create function dealgraph_api_key_tenant(candidate_hash text) returns uuid
        language sql stable security definer set search_path = public
        as $$ select tenant_id from api_keys where key_hash = candidate_hash and revoked_at is null $$`.execute(db);

      await sql`
        create function dealgraph_create_api_key(for_tenant uuid, new_hash text, new_label text) returns uuid
        language sql volatile security definer set search_path = public
        as $$ insert into api_keys (tenant_id, key_hash, label) values (for_tenant, new_hash, new_label) returning key_id $$`.execute(db);

      await sql`
        create table inbox (
          tenant_id uuid not null,
          interaction_id uuid not null,
          -- Arrival order, the tie-break of envelopes with the same timestamp.
          seq bigint generated always as identity,
          account_id text,
          occurred_at timestamptz not null,
          envelope jsonb not null,
          received_at timestamptz not null default now(),
          -- Per pipeline: queued, done, dead (dead-lettered) or skipped (nothing to do).
          action_items_status text not null default 'queued'
            check (action_items_status in ('queued', 'done', 'dead', 'skipped')),
          deals_status text not null default 'queued'
            check (deals_status in ('queued', 'done', 'dead', 'skipped')),
          action_items_result jsonb,
          deals_result jsonb,
          updated_at timestamptz not null default now(),
          primary key (tenant_id, interaction_id)
        )`.execute(db);
      await sql`create index inbox_account_order on inbox (tenant_id, account_id, occurred_at, seq)`.execute(db);
      await sql`create index inbox_unfinished on inbox (received_at) where action_items_status = 'queued' or deals_status = 'queued'`.execute(db);
      await isolateTenants(db, "inbox");

      // The sweeper's one cross-tenant read runs as the owner (SECURITY DEFINER below); FORCE
      // binds the owner too, so it needs a policy of its own, for reading only.
      await sql`create policy sweeper_read on inbox for select to current_user using (true)`.execute(db);
      await createColumnInboxUnfinished(db);

      await sql`revoke all on api_keys from public`.execute(db);
      for (const fn of [
        sql`dealgraph_api_key_tenant(text)`,
        sql`dealgraph_create_api_key(uuid, text, text)`,
        sql`dealgraph_inbox_unfinished(interval, integer)`,
      ]) {
        await sql`revoke all on function ${fn} from public`.execute(db);
        await sql`grant execute on function ${fn} to ${app}`.execute(db);
      }
      await sql`grant select, insert, update on inbox to ${app}`.execute(db);
    },

    async down(db) {
      await sql`drop function if exists dealgraph_inbox_unfinished(interval, integer)`.execute(db);
      await sql`drop table if exists inbox`.execute(db);
      await sql`drop function if exists dealgraph_create_api_key(uuid, text, text)`.execute(db);
      await sql`drop function if exists dealgraph_api_key_tenant(text)`.execute(db);
      await sql`drop table if exists api_keys`.execute(db);
    },
  };
}
