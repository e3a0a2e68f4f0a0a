import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { projectRoot } from "../support/run-cli";
import { RedisEvictionPolicyError, assertNoEviction, createRedisConnection } from "@dealgraph/queues";
import { testConfig } from "../support/services";
import { freePort } from "../support/free-port";

describe("Redis eviction policy", () => {
  let evicting: ChildProcess;
  let port: number;

  beforeAll(async () => {
    // A second, throwaway Redis that may evict keys, as a misconfigured production one would.
    port = await freePort();
    evicting = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--maxmemory-policy", "allkeys-lru"], {
      stdio: "ignore",
    });
    const probe = createRedisConnection({ url: `redis://127.0.0.1:${port}`, clusterNodes: null }, "probe");
    probe.on("error", () => undefined);
    await probe.ping();
    probe.disconnect();
  });

  afterAll(() => {
    evicting.kill("SIGTERM");
  });

  it("accepts the project's Redis, which runs with noeviction", async () => {
    const redis = createRedisConnection(testConfig().redis, "policy-test");
    try {
      await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

  it("refuses a Redis that may evict keys, saying what to change", async () => {
    const redis = createRedisConnection({ url: `redis://127.0.0.1:${port}`, clusterNodes: null }, "policy-test");
    try {
      const error = await assertNoEviction(redis).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisEvictionPolicyError);
      expect((error as Error).message).toMatch(/"allkeys-lru" but must be "noeviction"/);
    } finally {
      redis.disconnect();
    }
  });

  // Each long-running app of the fleet checks the policy at start-up and refuses to run.
  it.each(["api", "dashboard", "reconciler"])(
    "%s refuses to start on a Redis that may evict keys",
    async (app) => {
      const run = promisify(execFile);
      const failed = await run(process.execPath, ["--import", "tsx", `apps/${app}/src/main.ts`], {
        cwd: projectRoot,
        env: {
          ...process.env,
          REDIS_URL: `redis://127.0.0.1:${port}`,
          DASHBOARD_PASSWORD: "policy-test-password",
          API_PORT: String(await freePort()),
          DASHBOARD_PORT: String(await freePort()),
          RECONCILER_PORT: String(await freePort()),
        },
        timeout: 60_000,
      }).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/maxmemory-policy is "allkeys-lru" but must be "noeviction"/);
    },
    90_000,
  );
});
