import { randomUUID } from "node:crypto";
import type { RedisClient } from "@dealgraph/queues";

// Deletes or extends the lock only while it still holds this holder's token.
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export interface LaneHold {
  /** Stops the renewal and frees the lane. */
  release(): Promise<void>;
}

/**
 * One lane per pipeline, tenant and account: the envelopes of an account are applied one at a
 * time (BullMQ's open-source edition has no job groups). A lane is a Redis key with a TTL that
 * its holder renews while it works; a holder that dies (SIGKILL) stops renewing, and the lane
 * frees itself within `ttlMs`, by when BullMQ has also handed the job to another worker.
 */
export class AccountLanes {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async tryAcquire(pipeline: string, tenantId: string, accountId: string): Promise<LaneHold | null> {
    const key = `${this.prefix}:lane:${pipeline}:${tenantId}:${accountId}`;
    const token = randomUUID();
    const acquired = await this.redis.set(key, token, "PX", this.ttlMs, "NX");
    if (acquired !== "OK") return null;
    const renew = setInterval(
      () => {
        this.redis.eval(EXTEND, 1, key, token, String(this.ttlMs)).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.ttlMs / 3)),
    );
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await this.redis.eval(RELEASE, 1, key, token);
      },
    };
  }
}
