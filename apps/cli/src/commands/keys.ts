import type { Config } from "@dealgraph/config";
import { NotFoundError, ValidationError } from "@dealgraph/errors";
import { createRedisConnection, publishKeyRevocation } from "@dealgraph/queues";
import { ApiKeyAdmin, ApiKeys, createDatabase, type ApiKeyRecord } from "@dealgraph/store";
import type { Command } from "commander";
import { requireUuid } from "../arguments";
import type { CliContext } from "../cli-context";

/*
 * `dealgraph keys`: the life of a tenant's API keys. Creating one needs only the application
 * role; listing, revoking and rotating connect as the schema owner (the application role can
 * only check a key). A revocation is announced to every api process through Redis, so none
 * trusts its cached copy of the key for more than a moment.
 */

async function withAdmin<T>(config: Config, work: (admin: ApiKeyAdmin) => Promise<T>): Promise<T> {
  const db = createDatabase({ url: config.postgres.ownerUrl, poolMax: 1, applicationName: "dealgraph-cli-keys" });
  try {
    return await work(new ApiKeyAdmin(db));
  } finally {
    await db.destroy();
  }
}

async function announceRevocation(config: Config, keyHashes: string[]): Promise<number> {
  const redis = createRedisConnection(config.redis, "dealgraph-cli-keys");
  try {
    return await publishKeyRevocation(redis, config.redis.queuePrefix, keyHashes);
  } finally {
    redis.disconnect();
  }
}

const when = (date: Date | null) => (date === null ? "-" : date.toISOString().replace(/\.\d{3}Z$/, "Z"));

function stateOf(record: ApiKeyRecord, now = Date.now()): string {
  if (record.revoked_at !== null) return `revoked ${when(record.revoked_at)}`;
  if (record.expires_at !== null) return record.expires_at.getTime() > now ? `valid until ${when(record.expires_at)}` : `expired ${when(record.expires_at)}`;
  return "valid";
}

const recordJson = (record: ApiKeyRecord) => ({
  key_id: record.key_id,
  tenant_id: record.tenant_id,
  label: record.label,
  created_at: record.created_at.toISOString(),
  last_used_at: record.last_used_at?.toISOString() ?? null,
  revoked_at: record.revoked_at?.toISOString() ?? null,
  expires_at: record.expires_at?.toISOString() ?? null,
  state: stateOf(record),
});

/** "1h", "30m", "2d", "45s" → milliseconds. */
function parseDuration(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match)
    throw new ValidationError(`--grace must be a duration such as 30m, 24h or 7d, got "${text}"`, [
      { path: "grace", message: "Must be a number and s, m, h or d" },
    ]);
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
}

export function registerKeys(program: Command, context: CliContext): void {
  const keys = program.command("keys").description("Manage per-tenant API keys: create, list, revoke, rotate");
  keys
    .command("create")
    .description("Create an API key for a tenant and print it once (only its hash is stored)")
    .requiredOption("--tenant <uuid>", "the tenant the key acts for")
    .option("--label <text>", "what the key is for, e.g. the producer's name")
    .option("--json", "print JSON")
    .action(async (options: { tenant: string; label?: string; json?: boolean }) => {
      requireUuid(options.tenant, "--tenant", "tenant");
      const db = createDatabase({ url: context.config().postgres.url, poolMax: 1, applicationName: "dealgraph-cli" });
      try {
        const { key, keyId } = await new ApiKeys(db).create(options.tenant, options.label ?? null);
        if (options.json) console.log(JSON.stringify({ tenant_id: options.tenant, key_id: keyId, key }));
        else console.log(`API key for tenant ${options.tenant} (id ${keyId}); it is shown only now:\n${key}`);
      } finally {
        await db.destroy();
      }
    });

  keys
    .command("list")
    .description("List API keys (never the keys themselves): id, tenant, label, created, last used, state")
    .option("--tenant <uuid>", "only this tenant's keys")
    .option("--json", "print JSON")
    .action(async (options: { tenant?: string; json?: boolean }) => {
      if (options.tenant !== undefined) requireUuid(options.tenant, "--tenant", "tenant");
      const records = await withAdmin(context.config(), (admin) => admin.list(options.tenant));
      if (options.json) {
        console.log(JSON.stringify({ keys: records.map(recordJson) }));
        return;
      }
      if (records.length === 0) console.log("no API keys");
      for (const r of records) {
        console.log(
          `${r.key_id}  tenant ${r.tenant_id}  ${JSON.stringify(r.label ?? "")}  created ${when(r.created_at)}  last used ${when(r.last_used_at)}  ${stateOf(r)}`,
        );
      }
    });

  keys
    .command("revoke")
    .description("Revoke a key now, by its id or the key itself; every api process refuses it within 2 s")
    .argument("<key-or-id>", "the key's id (from keys list) or the key")
    .option("--json", "print JSON")
    .action(async (keyOrId: string, options: { json?: boolean }) => {
      const config = context.config();
      const revoked = await withAdmin(config, (admin) => admin.revoke(keyOrId));
      if (!revoked) throw new NotFoundError("no such API key");
      const listeners = await announceRevocation(config, [revoked.keyHash]);
      if (options.json) console.log(JSON.stringify({ revoked: recordJson(revoked.record), api_processes_told: listeners }));
      else console.log(`revoked key ${revoked.record.key_id} of tenant ${revoked.record.tenant_id}; ${listeners} api process(es) told`);
    });

  keys
    .command("rotate")
    .description("Issue a new key for the same tenant and label; the old one stays valid for the grace period, then stops")
    .argument("<key-or-id>", "the key's id (from keys list) or the key")
    .option("--grace <duration>", "how long the old key keeps working (30m, 24h, 7d)", "24h")
    .option("--json", "print JSON")
    .action(async (keyOrId: string, options: { grace: string; json?: boolean }) => {
      const config = context.config();
      const graceMs = parseDuration(options.grace);
      const rotated = await withAdmin(config, (admin) => admin.rotate(keyOrId, graceMs));
      if (!rotated) throw new NotFoundError("no such API key, or it is revoked or already rotated (revoke it to end its grace period)");
      // The api caches a key with no expiry; the processes must learn of the one it has now.
      await announceRevocation(config, [rotated.oldKeyHash]);
      if (options.json)
        console.log(JSON.stringify({ tenant_id: rotated.old.tenant_id, key_id: rotated.keyId, key: rotated.key, old: recordJson(rotated.old) }));
      else
        console.log(
          `new API key for tenant ${rotated.old.tenant_id} (id ${rotated.keyId}); it is shown only now:\n${rotated.key}\nthe old key ${rotated.old.key_id} stops at ${when(rotated.old.expires_at)}`,
        );
    });
}
