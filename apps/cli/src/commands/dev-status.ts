import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";

/** Whether something accepts TCP connections at host:port within a second. */
function listening(host: string, port: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 1000 });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

/** "started by dealgraph, pid N" when the pid file names a live process, else "external". */
function ownerOf(pidFile: string): string {
  if (!existsSync(pidFile)) return "external";
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  try {
    process.kill(pid, 0);
    return `started by dealgraph, pid ${pid}`;
  } catch {
    return "external";
  }
}

async function evictionPolicy(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    const answer = (await redis.config("GET", "maxmemory-policy")) as string[];
    return answer[1] ?? "unknown";
  } catch {
    return "unknown";
  } finally {
    redis.disconnect();
  }
}

/**
 * Each local service at the address the configuration gives it, whether it is up and whether
 * this project started it (scripts/services.sh's pid files); false when one is down.
 */
export async function reportServices(env: Record<string, string>, print: (line: string) => void): Promise<boolean> {
  const local = path.resolve(env.DEALGRAPH_LOCAL_DIR ?? ".local");
  let allUp = true;
  const line = (name: string, up: boolean, where: string, detail: string) => {
    allUp &&= up;
    print(`${name.padEnd(12)} ${up ? "up  " : "down"}  ${where}${up && detail ? `  ${detail}` : ""}`);
  };
  const redisUp = await listening(env.REDIS_URL_HOST ?? "", env.REDIS_URL_PORT ?? "");
  const policy = redisUp ? `maxmemory-policy=${await evictionPolicy(env.REDIS_URL ?? "")}  ` : "";
  line("redis", redisUp, `${env.REDIS_URL_HOST}:${env.REDIS_URL_PORT}`, `${policy}(${ownerOf(path.join(local, "redis.pid"))})`);
  const pgUp = await listening(env.DATABASE_URL_HOST ?? "", env.DATABASE_URL_PORT ?? "");
  line(
    "postgres",
    pgUp,
    `${env.DATABASE_URL_HOST}:${env.DATABASE_URL_PORT}`,
    `(${existsSync(path.join(local, "postgres.started")) ? "started by dealgraph" : "external"})`,
  );
  for (const [name, variable] of [
    ["ai", "ACTION_ITEM_NEO4J_URI"],
    ["deals", "DEAL_NEO4J_URI"],
  ] as const) {
    const up = await listening(env[`${variable}_HOST`] ?? "", env[`${variable}_PORT`] ?? "");
    line(`neo4j-${name}`, up, env[variable] ?? "", `(${ownerOf(path.join(local, `neo4j-${name}.pid`))})`);
  }
  return allUp;
}
