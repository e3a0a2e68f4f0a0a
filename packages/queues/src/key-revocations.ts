import { z } from "zod";
import { createRedisConnection, type RedisClient, type RedisSettings } from "./redis-connection";

/*
 * Revoked and rotated API keys, announced to every api process through Redis pub/sub, so that no
 * process trusts a cached key after it was revoked (the cache would otherwise hold it for its TTL).
 * Only key hashes travel; a process that may have missed a message (its subscription dropped)
 * forgets every cached key instead.
 */

const messageSchema = z.object({ key_hashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(10_000) });

export const keyRevocationChannel = (queuePrefix: string) => `${queuePrefix}:api-keys:revoked`;

export async function publishKeyRevocation(redis: RedisClient, queuePrefix: string, keyHashes: readonly string[]): Promise<number> {
  return redis.publish(keyRevocationChannel(queuePrefix), JSON.stringify({ key_hashes: keyHashes }));
}

export interface KeyRevocationListener {
  close(): Promise<void>;
}

/** Calls `forget` with the hashes of each announced revocation, and with "all" whenever the subscription (re)starts. */
export async function listenForKeyRevocations(
  redis: RedisSettings,
  queuePrefix: string,
  forget: (keyHashes: readonly string[] | "all") => void,
  onBadMessage: (error: string) => void,
): Promise<KeyRevocationListener> {
  const subscriber = createRedisConnection(redis, "api-key-revocations");
  const channel = keyRevocationChannel(queuePrefix);
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const message = messageSchema.safeParse(parsed);
    if (message.success) forget(message.data.key_hashes);
    else {
      onBadMessage("a key revocation message was not understood; forgetting every cached key");
      forget("all");
    }
  });
  // ioredis re-subscribes after a reconnect; what was published meanwhile was missed.
  subscriber.on("ready", () => forget("all"));
  await subscriber.subscribe(channel);
  return {
    close: async () => {
      subscriber.disconnect();
    },
  };
}
