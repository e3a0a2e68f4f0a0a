import { errorKind } from "@dealgraph/errors";
import type { ConnectionOptions } from "bullmq";
import { Cluster, Redis, type RedisOptions } from "ioredis";

/** Redis would evict keys under memory pressure, which breaks BullMQ's locks and jobs. */
export class RedisEvictionPolicyError extends errorKind("REDIS_EVICTION_POLICY", false) {}

/** Where Redis is: one server (`url`), or a Redis Cluster reached through some of its nodes (credentials and TLS from `url`). */
export interface RedisSettings {
  url: string;
  clusterNodes: ReadonlyArray<{ host: string; port: number }> | null;
}

/** A connection to either; both answer the commands this system sends (a cluster routes each key to its slot's master). */
export type RedisClient = Redis | Cluster;

function serverOptions(connectionName: string): RedisOptions {
  // BullMQ's blocking workers require maxRetriesPerRequest null: a command must wait for a reconnect, not fail.
  return { connectionName, maxRetriesPerRequest: null, enableReadyCheck: true };
}

/** What a cluster's node connections take from REDIS_URL: its credentials and TLS (a single server reads them from the URL itself). */
function credentialsOf(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

export function createRedisConnection(settings: RedisSettings, connectionName: string): RedisClient {
  if (settings.clusterNodes) {
    const redisOptions = { ...serverOptions(connectionName), ...credentialsOf(settings.url) };
    return new Cluster([...settings.clusterNodes], { redisOptions, enableReadyCheck: true });
  }
  return new Redis(settings.url, serverOptions(connectionName));
}

/**
 * What BullMQ's queues and workers connect with. To one server, each opens its own connections
 * from the URL and closes them itself. To a cluster, they share one cluster client (BullMQ
 * duplicates it for a worker's blocking connection), which `closeBullConnection` closes after them.
 */
export function bullConnection(settings: RedisSettings, connectionName: string): ConnectionOptions {
  return settings.clusterNodes ? createRedisConnection(settings, connectionName) : { url: settings.url };
}

/** Closes a shared cluster client once everything that used it is closed; nothing for a single server's options. */
export async function closeBullConnection(connection: ConnectionOptions): Promise<void> {
  if (connection instanceof Cluster) await connection.quit().catch(() => connection.disconnect());
}

async function evictionPolicy(redis: Redis): Promise<string | undefined> {
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    return reply[1];
  } catch {
    const info = await redis.info("memory");
    return /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
}

/**
 * Refuses to run against a Redis that may evict keys (DESIGN.md §9): on a cluster, every master
 * is asked. Managed Redis services sometimes hide CONFIG; then the policy is read from INFO.
 */
export async function assertNoEviction(redis: RedisClient): Promise<void> {
  await redis.ping();
  const servers = redis instanceof Cluster ? redis.nodes("master") : [redis];
  for (const server of servers) {
    const policy = await evictionPolicy(server);
    if (policy !== "noeviction") {
      const where = redis instanceof Cluster ? ` on ${server.options.host}:${server.options.port}` : "";
      throw new RedisEvictionPolicyError(
        `Redis maxmemory-policy is "${policy ?? "unknown"}"${where} but must be "noeviction": evicted keys break BullMQ ` +
          `jobs and locks. Run "CONFIG SET maxmemory-policy noeviction" or set it in redis.conf.`,
      );
    }
  }
}
