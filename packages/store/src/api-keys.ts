import { createHash, randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema";

/** How a key is stored and named between processes: its SHA-256, never the key itself. */
export const hashApiKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/** 32 random bytes: a key cannot be guessed, so a fast hash is enough to store it. */
export const mintApiKey = () => `dgk_${randomBytes(32).toString("base64url")}`;

/**
 * Per-tenant API keys as the api checks them. Only a SHA-256 hash is stored; the key itself is
 * shown once, when it is created. The application role reaches the table only through SECURITY
 * DEFINER functions (migrations 0002 and 0005), so it can check a key but never list them.
 */
export class ApiKeys {
  /** Known keys (by hash) and until when they may be trusted without asking again. */
  private readonly known = new Map<string, { tenantId: string; until: number }>();
  /** Keys just refused (by hash): a client repeating a bad key costs no database call each time. */
  private readonly refused = new Map<string, number>();
  /** Keys used since usage was last written. */
  private readonly used = new Set<string>();

  /**
   * `cacheTtlMs`: how long a key found valid is trusted without asking the database again (the
   * api sets it; 0 asks every time); a revocation published to the api's processes ends it at
   * once. `refusedTtlMs`: how long a refused key is refused without asking.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { cacheTtlMs?: number; refusedTtlMs?: number; maxCached?: number } = {},
  ) {}

  /** Creates a key for `tenantId`; returns the key (to show once) and its id. */
  async create(tenantId: string, label: string | null): Promise<{ key: string; keyId: string }> {
    const key = mintApiKey();
    const { rows } = await sql<{ key_id: string }>`
      select dealgraph_create_api_key(${tenantId}::uuid, ${hashApiKey(key)}, ${label}) as key_id`.execute(this.db);
    const keyId = rows[0]?.key_id;
    if (!keyId) throw new Error("the database did not return the new key's id");
    return { key, keyId };
  }

  /** The tenant a presented key belongs to, or null for an unknown, revoked or expired key. */
  async tenantOf(key: string): Promise<string | null> {
    const keyHash = hashApiKey(key);
    const now = Date.now();
    const cached = this.known.get(keyHash);
    if (cached && cached.until > now) {
      this.used.add(keyHash);
      return cached.tenantId;
    }
    if ((this.refused.get(keyHash) ?? 0) > now) return null;
    const { rows } = await sql<{ tenant_id: string; expires_at: Date | null }>`
      select tenant_id, expires_at from dealgraph_api_key_lookup(${keyHash})`.execute(this.db);
    const found = rows[0];
    const maxCached = this.options.maxCached ?? 10_000;
    if (!found) {
      const refusedTtl = this.options.refusedTtlMs ?? 0;
      if (refusedTtl > 0) {
        if (this.refused.size >= maxCached) this.refused.clear();
        this.refused.set(keyHash, now + refusedTtl);
      }
      return null;
    }
    const ttl = this.options.cacheTtlMs ?? 0;
    if (ttl > 0) {
      if (this.known.size >= maxCached) this.known.clear();
      // A rotated key's grace period ends when it ends, cache or not.
      this.known.set(keyHash, { tenantId: found.tenant_id, until: Math.min(now + ttl, found.expires_at?.getTime() ?? Infinity) });
    }
    this.used.add(keyHash);
    return found.tenant_id;
  }

  /** Forgets these keys (by hash), or every key: another process revoked them, or news may have been missed. */
  forget(keyHashes: readonly string[] | "all"): void {
    if (keyHashes === "all") {
      this.known.clear();
      return;
    }
    for (const keyHash of keyHashes) this.known.delete(keyHash);
  }

  /** Records when the keys seen since the last call were used: one statement, whatever the traffic. */
  async recordUsage(): Promise<number> {
    if (this.used.size === 0) return 0;
    const hashes = [...this.used];
    this.used.clear();
    await sql`select dealgraph_api_keys_used(${hashes}::text[], now())`.execute(this.db);
    return hashes.length;
  }
}
