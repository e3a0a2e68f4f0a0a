import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";

/**
 * Keys an operator can manage (`dealgraph keys list|revoke|rotate`): when each was last used
 * (the api records it in batches, never a write per request) and until when a rotated key stays
 * valid. The application role still only checks keys, through SECURITY DEFINER functions; the
 * operator's commands connect as the schema owner.
 */
export function apiKeyLifecycle(context: MigrationContext): Migration {
  return {
    async up(db) {
      const app = sql.id(context.appRole);
      await sql`alter table api_keys add column last_used_at timestamptz, add column expires_at timestamptz`.execute(db);
      await sql`
        create function dealgraph_api_key_lookup(candidate_hash text) returns table (tenant_id uuid, expires_at timestamptz)
        language sql stable security definer set search_path = public
        as $$ select tenant_id, expires_at from api_keys
              where key_hash = candidate_hash and revoked_at is null and (expires_at is null or expires_at > now()) $$`.execute(db);
      await sql`
        create function dealgraph_api_keys_used(used_hashes text[], used_at timestamptz) returns void
        language sql volatile security definer set search_path = public
        as $$ update api_keys set last_used_at = greatest(coalesce(last_used_at, used_at), used_at) where key_hash = any(used_hashes) $$`.execute(db);
      for (const fn of [sql`dealgraph_api_key_lookup(text)`, sql`dealgraph_api_keys_used(text[], timestamptz)`]) {
        await sql`revoke all on function ${fn} from public`.execute(db);
        await sql`grant execute on function ${fn} to ${app}`.execute(db);
      }
      // The old check ignores expiry; nothing may keep using it.
      await sql`drop function if exists dealgraph_api_key_tenant(text)`.execute(db);
    },
    async down(db) {
      await sql`drop function if exists dealgraph_api_keys_used(text[], timestamptz)`.execute(db);
      await sql`drop function if exists dealgraph_api_key_lookup(text)`.execute(db);
      await sql`alter table api_keys drop column if exists last_used_at, drop column if exists expires_at`.execute(db);
    },
  };
}
