import { createHash, randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema";

const hash = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/**
 * Per-tenant API keys. Only a SHA-256 hash is stored; the key itself is shown once, when it is
 * created. The application role reaches the table only through two SECURITY DEFINER functions
 * (migration 0002), so it can check a key but never list them.
 */
export class ApiKeys {
  /** Known keys (by hash) and until when they may be trusted without asking again. */
  private readonly known = new Map<string, { tenantId: string; until: number }>();

  /**
   * `cacheTtlMs`: how long a key found valid is trusted without asking the database again (the
   * api sets it; 0 asks every time). A key revoked meanwhile keeps working that long at most.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { cacheTtlMs?: number; maxCached?: number } = {},
  ) {}

  /** Creates a key for `tenantId`; returns the key (to show once) and its id. */
  async create(tenantId: string, label: string | null): Promise<{ key: string; keyId: string }> {
    // 32 random bytes: a key cannot be guessed, so a fast hash is enough to store it.
    const key = `dgk_${randomBytes(32).toString("base64url")}`;
    const { rows } = await sql<{ key_id: string }>`
      select dealgraph_create_api_key(${tenantId}::uuid, ${hash(key)}, ${label}) as key_id`.execute(this.db);
    const keyId = rows[0]?.key_id;
    if (!keyId) throw new Error("the database did not return the new key's id");
    return { key, keyId };
  }

  /** The tenant a presented key belongs to, or null for an unknown or revoked key. */
  async tenantOf(key: string): Promise<string | null> {
    const keyHash = hash(key);
    const ttl = this.options.cacheTtlMs ?? 0;
    const cached = this.known.get(keyHash);
    if (cached && cached.until > Date.now()) return cached.tenantId;
    const { rows } = await sql<{ tenant_id: string | null }>`select dealgraph_api_key_tenant(${keyHash}) as tenant_id`.execute(this.db);
    const tenantId = rows[0]?.tenant_id ?? null;
    // Only valid keys are remembered: an unknown key is asked about every time (and never fills the cache).
    if (tenantId !== null && ttl > 0) {
      if (this.known.size >= (this.options.maxCached ?? 10_000)) this.known.clear();
      this.known.set(keyHash, { tenantId, until: Date.now() + ttl });
    }
    return tenantId;
  }
}
