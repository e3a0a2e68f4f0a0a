import { errorKind } from "@dealgraph/errors";
import { Redis } from "ioredis";

/** Redis would evict keys under memory pressure, which breaks BullMQ's locks and jobs. */
export class RedisEvictionPolicyError extends errorKind("REDIS_EVICTION_POLICY", false) {}

export function createRedisConnection(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    // BullMQ's blocking workers require this: a command must wait for a reconnect, not fail.
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
  });
}

/**
 * Refuses to run against a Redis that may evict keys (DESIGN.md §9). Managed Redis services
 * sometimes hide CONFIG; then the policy is read from INFO instead.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    policy = reply[1];
  } catch {
    const info = await redis.info("memory");
    policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
  if (policy !== "noeviction") {
    throw new RedisEvictionPolicyError(
      `Redis maxmemory-policy is "${policy ?? "unknown"}" but must be "noeviction": evicted keys break BullMQ ` +
        `jobs and locks. Run "CONFIG SET maxmemory-policy noeviction" or set it in redis.conf.`,
    );
  }
}
