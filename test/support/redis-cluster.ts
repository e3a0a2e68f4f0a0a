import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port";

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`, as REDIS_CLUSTER_NODES takes it. */
  nodes: string;
  ports: number[];
  stop(): Promise<void>;
}

/** A port whose cluster-bus port (+10,000) is a valid port too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 < 65_536) return port;
  }
}

/**
 * Three masters of a Redis Cluster of the test's own (`redis-server --cluster-enabled yes` on
 * three ports, slots assigned by `redis-cli --cluster create`), with no persistence and the
 * eviction policy the fleet requires; answers once the cluster says it is ok.
 */
export async function startRedisCluster(masters = 3): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dealgraph-redis-cluster-"));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await clusterPort();
      ports.push(port);
      const child = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          path.join(dir, `nodes-${port}.conf`),
          "--cluster-node-timeout",
          "5000",
          "--dir",
          dir,
          "--save",
          "",
          "--appendonly",
          "no",
          "--maxmemory-policy",
          "noeviction",
        ],
        { stdio: "ignore" },
      );
      children.push(child);
    }
    for (const port of ports) await waitFor(async () => (await run("redis-cli", ["-p", String(port), "ping"])).stdout.trim() === "PONG");
    await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"]);
    for (const port of ports) await waitFor(async () => (await run("redis-cli", ["-p", String(port), "cluster", "info"])).stdout.includes("cluster_state:ok"));
    return { nodes: ports.map((p) => `127.0.0.1:${p}`).join(","), ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error("the local Redis Cluster did not come up");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
