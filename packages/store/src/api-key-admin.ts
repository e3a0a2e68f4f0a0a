import { sql, type Kysely } from "kysely";
import { hashApiKey, mintApiKey } from "./api-keys";
import type { Database } from "./schema";

export interface ApiKeyRecord {
  key_id: string;
  tenant_id: string;
  label: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The operator's view of API keys (`dealgraph keys`), through the schema owner: the application
 * role cannot list or revoke keys. A key is named by its id or by the key itself.
 */
export class ApiKeyAdmin {
  constructor(private readonly db: Kysely<Database>) {}

  async list(tenantId?: string): Promise<ApiKeyRecord[]> {
    const { rows } = await sql<ApiKeyRecord>`
      select key_id, tenant_id, label, created_at, last_used_at, revoked_at, expires_at from api_keys
      where ${tenantId === undefined ? sql`true` : sql`tenant_id = ${tenantId}::uuid`}
      order by tenant_id, created_at`.execute(this.db);
    return rows;
  }

  private async find(keyOrId: string): Promise<(ApiKeyRecord & { key_hash: string }) | null> {
    const { rows } = await sql<ApiKeyRecord & { key_hash: string }>`
      select key_id, tenant_id, label, created_at, last_used_at, revoked_at, expires_at, key_hash from api_keys
      where ${UUID.test(keyOrId) ? sql`key_id = ${keyOrId}::uuid` : sql`key_hash = ${hashApiKey(keyOrId)}`}`.execute(this.db);
    return rows[0] ?? null;
  }

  /** Revokes a key now; returns it (with its hash, for the api processes to forget), or null when there is no such key. */
  async revoke(keyOrId: string): Promise<{ record: ApiKeyRecord; keyHash: string } | null> {
    const found = await this.find(keyOrId);
    if (!found) return null;
    const { rows } = await sql<ApiKeyRecord>`
      update api_keys set revoked_at = coalesce(revoked_at, now()) where key_id = ${found.key_id}::uuid
      returning key_id, tenant_id, label, created_at, last_used_at, revoked_at, expires_at`.execute(this.db);
    return { record: rows[0]!, keyHash: found.key_hash };
  }

  /**
   * A new key for the same tenant and label; the old one stays valid for `graceMs` so producers
   * can switch over, then stops. Null when there is no such key, or it is revoked or already rotated
   * (revoke it to end its grace period early).
   */
  async rotate(keyOrId: string, graceMs: number): Promise<{ key: string; keyId: string; old: ApiKeyRecord; oldKeyHash: string } | null> {
    const found = await this.find(keyOrId);
    if (!found || found.revoked_at !== null || found.expires_at !== null) return null;
    const key = mintApiKey();
    return this.db.transaction().execute(async (trx) => {
      const created = await sql<{ key_id: string }>`
        insert into api_keys (tenant_id, key_hash, label) values (${found.tenant_id}::uuid, ${hashApiKey(key)}, ${found.label}) returning key_id`.execute(trx);
      const old = await sql<ApiKeyRecord>`
        update api_keys set expires_at = now() + ${`${graceMs} milliseconds`}::interval
        where key_id = ${found.key_id}::uuid
        returning key_id, tenant_id, label, created_at, last_used_at, revoked_at, expires_at`.execute(trx);
      return { key, keyId: created.rows[0]!.key_id, old: old.rows[0]!, oldKeyHash: found.key_hash };
    });
  }
}
