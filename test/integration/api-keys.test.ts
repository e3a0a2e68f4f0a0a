import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * API keys: stored as hashes, checked through a SECURITY DEFINER function, and (in the api)
 * remembered for a short while so that a post costs one database round trip less. A revoked
 * key stops working once that while is over; without the cache, at once.
 */

const config = testConfig();
let db: Kysely<Database>;
let owner: Kysely<Database>;

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "api-keys-test" });
  owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "api-keys-test-owner" });
});

afterAll(async () => {
  await Promise.all([db.destroy(), owner.destroy()]);
});

const revoke = (keyId: string) => sql`update api_keys set revoked_at = now() where key_id = ${keyId}::uuid`.execute(owner);

describe("API keys", () => {
  it("answers a key's tenant, and nothing for an unknown key", async () => {
    const tenantId = freshTenantId();
    const keys = new ApiKeys(db);
    const { key } = await keys.create(tenantId, "test");
    expect(await keys.tenantOf(key)).toBe(tenantId);
    expect(await keys.tenantOf(`${key}x`)).toBeNull();
  });

  it("without a cache a revoked key stops at once; with one, once its time is up", async () => {
    const tenantId = freshTenantId();
    const uncached = new ApiKeys(db);
    const cached = new ApiKeys(db, { cacheTtlMs: 300 });
    const { key, keyId } = await uncached.create(tenantId, "test");
    expect(await cached.tenantOf(key)).toBe(tenantId);
    await revoke(keyId);
    expect(await uncached.tenantOf(key)).toBeNull();
    expect(await cached.tenantOf(key)).toBe(tenantId);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await cached.tenantOf(key)).toBeNull();
  });
});
