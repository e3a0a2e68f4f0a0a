import { randomUUID } from "node:crypto";
import type { Config } from "@dealgraph/config";
import { ApiKeyAdmin, ApiKeys, createDatabase, hashApiKey, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { freePort } from "../support/free-port";
import { startApp, type RunningApp } from "../support/processes";
import { dealgraph } from "../support/run-cli";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * API keys through their life: stored as hashes, checked through SECURITY DEFINER functions,
 * cached by the api for a while, listed, revoked and rotated by an operator, and a revocation
 * reaching every api process at once through Redis. Bad keys meet a rate limit that a valid key
 * does not share.
 */

const base = testConfig();
const config: Config = { ...base, redis: { ...base.redis, queuePrefix: `{dealgraph-test-${randomUUID().slice(0, 8)}}` } };
let db: Kysely<Database>;
let owner: Kysely<Database>;
const cliEnv = { QUEUE_PREFIX: config.redis.queuePrefix };

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "api-keys-test" });
  owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "api-keys-test-owner" });
});

afterAll(async () => {
  await Promise.all([db.destroy(), owner.destroy()]);
});

describe("API keys", () => {
  it("answers a key's tenant, and nothing for an unknown key", async () => {
    const tenantId = freshTenantId();
    const keys = new ApiKeys(db);
    const { key } = await keys.create(tenantId, "test");
    expect(await keys.tenantOf(key)).toBe(tenantId);
    expect(await keys.tenantOf(`${key}x`)).toBeNull();
  });

  it("stops trusting a cached key when told it was revoked, and an uncached one at once", async () => {
    const tenantId = freshTenantId();
    const uncached = new ApiKeys(db);
    const cached = new ApiKeys(db, { cacheTtlMs: 600_000 });
    const { key, keyId } = await uncached.create(tenantId, "test");
    expect(await cached.tenantOf(key)).toBe(tenantId);
    await new ApiKeyAdmin(owner).revoke(keyId);
    expect(await uncached.tenantOf(key)).toBeNull();
    // The cache alone would trust it for its whole TTL: only the announcement ends that.
    expect(await cached.tenantOf(key)).toBe(tenantId);
    cached.forget([hashApiKey(key)]);
    expect(await cached.tenantOf(key)).toBeNull();
  });

  it("rotates a key: a new one works, the old one until its grace period ends", async () => {
    const tenantId = freshTenantId();
    const keys = new ApiKeys(db);
    const admin = new ApiKeyAdmin(owner);
    const { key, keyId } = await keys.create(tenantId, "producer");
    const rotated = await admin.rotate(keyId, 60_000);
    expect(rotated).not.toBeNull();
    expect(await keys.tenantOf(rotated!.key)).toBe(tenantId);
    expect(await keys.tenantOf(key)).toBe(tenantId);
    // A key already rotated is not rotated again; revoking it ends its grace period early.
    expect(await admin.rotate(keyId, 0)).toBeNull();
    await admin.revoke(keyId);
    expect(await keys.tenantOf(key)).toBeNull();
    expect((await admin.list(tenantId)).map((r) => [r.label, r.expires_at !== null])).toEqual([
      ["producer", true],
      ["producer", false],
    ]);
  });

  it("records when a key was last used, once per batch rather than per request", async () => {
    const tenantId = freshTenantId();
    const keys = new ApiKeys(db, { cacheTtlMs: 60_000 });
    const { key } = await keys.create(tenantId, "test");
    for (let i = 0; i < 5; i++) await keys.tenantOf(key);
    const [before] = await new ApiKeyAdmin(owner).list(tenantId);
    expect(before?.last_used_at).toBeNull();
    expect(await keys.recordUsage()).toBe(1);
    const [after] = await new ApiKeyAdmin(owner).list(tenantId);
    expect(after?.last_used_at).toBeInstanceOf(Date);
  });
});

describe("keys against running api processes", () => {
  const apis: RunningApp[] = [];
  const tenantId = freshTenantId();
  let key = "";
  let keyId = "";

  beforeAll(async () => {
    ({ key, keyId } = await new ApiKeys(db).create(tenantId, "two processes"));
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      apis.push(
        await startApp(
          "api",
          { API_PORT: String(port), QUEUE_PREFIX: config.redis.queuePrefix, SWEEPER_INTERVAL_MS: "3600000", API_BAD_KEY_LIMIT_PER_MINUTE: "30" },
          `http://127.0.0.1:${port}/healthz`,
        ),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
  });

  const tenantStatus = (api: RunningApp, apiKey: string) =>
    fetch(`${api.url}/v1/tenant`, { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => r.status);

  it("meets 300 bad-key requests with 429s while a valid key keeps working", async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const status = await tenantStatus(apis[i % 2]!, `dgk_guess${i}`);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (i % 50 === 0) expect(await tenantStatus(apis[0]!, key)).toBe(200);
    }
    // Both processes count against one limit in Redis: 30 failures a minute from this address in all.
    expect(statuses.get(401)).toBe(30);
    expect(statuses.get(429)).toBe(270);
    const limited = await fetch(`${apis[1]!.url}/v1/tenant`, { headers: { authorization: "Bearer dgk_more" } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ error: { code: "RATE_LIMITED", message: expect.any(String) } });
    expect(await tenantStatus(apis[1]!, key)).toBe(200);
  });

  it("lists and revokes a key from the CLI; both api processes refuse it within 2 s", async () => {
    // Both processes have the key cached (a 30 s TTL by default).
    for (const api of apis) expect(await tenantStatus(api, key)).toBe(200);
    const listed = await dealgraph(["keys", "list", "--tenant", tenantId, "--json"], cliEnv);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { keys: Array<{ key_id: string; state: string }> }).keys).toEqual([
      expect.objectContaining({ key_id: keyId, state: "valid" }),
    ]);
    const revoked = await dealgraph(["keys", "revoke", keyId, "--json"], cliEnv);
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ revoked: { key_id: keyId }, api_processes_told: 2 });
    const started = Date.now();
    for (const api of apis) {
      // Refused: 401, or 429 once this address has used up its bad-key allowance (the test above).
      while ((await tenantStatus(api, key)) === 200) {
        expect(Date.now() - started).toBeLessThan(2_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const after = await dealgraph(["keys", "list", "--tenant", tenantId, "--json"], cliEnv);
    expect((JSON.parse(after.stdout) as { keys: Array<{ state: string }> }).keys[0]?.state).toMatch(/^revoked /);
  });
});
