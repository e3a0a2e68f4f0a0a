import { GRAPH_NAMES, type Config, type Neo4jConnectionConfig } from "@dealgraph/config";
import { GraphClient, graphClientName } from "@dealgraph/graph";
import { assertNoEviction, createRedisConnection } from "@dealgraph/queues";
import { createDatabase, pingDatabase } from "@dealgraph/store";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";

export interface ServiceHealth {
  service: string;
  target: string;
  ok: boolean;
  latencyMs: number;
  detail: string;
}

async function probe(service: string, target: string, check: () => Promise<string>): Promise<ServiceHealth> {
  const started = performance.now();
  try {
    const detail = await check();
    return { service, target, ok: true, latencyMs: Math.round(performance.now() - started), detail };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { service, target, ok: false, latencyMs: Math.round(performance.now() - started), detail };
  }
}

const hostOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port}`;
};

/** Checks every service the fleet needs, with the credentials the apps use. */
export async function checkHealth(config: Config): Promise<ServiceHealth[]> {
  const redisCheck = probe("redis", hostOf(config.redis.url), async () => {
    const redis = createRedisConnection(config.redis, "dealgraph-health");
    redis.on("error", () => undefined); // reported through the failed command below
    try {
      await redis.ping();
      await assertNoEviction(redis);
      return "maxmemory-policy noeviction";
    } finally {
      redis.disconnect();
    }
  });
  const postgresCheck = probe("postgres", hostOf(config.postgres.url), async () => {
    const db = createDatabase({ url: config.postgres.url, poolMax: 1, applicationName: "dealgraph-health" });
    try {
      await pingDatabase(db);
      return `connected as ${decodeURIComponent(new URL(config.postgres.url).username)}`;
    } finally {
      await db.destroy();
    }
  });
  const graphCheck = (name: string, connection: Neo4jConnectionConfig) =>
    probe(name, connection.uri, async () => {
      const client = GraphClient.connect(connection, { name, maxTransactionRetryMs: 2_000 });
      try {
        await client.ping();
        return `database ${connection.database}`;
      } finally {
        await client.close();
      }
    });
  return Promise.all([redisCheck, postgresCheck, ...GRAPH_NAMES.map((name) => graphCheck(graphClientName(name), config.graphs[name]))]);
}

export function formatHealth(rows: ServiceHealth[]): string {
  const width = (key: keyof ServiceHealth) => Math.max(...rows.map((row) => String(row[key]).length));
  return rows
    .map((row) =>
      [
        row.service.padEnd(width("service")),
        (row.ok ? "ok" : "DOWN").padEnd(4),
        row.target.padEnd(width("target")),
        `${row.latencyMs} ms`.padStart(8),
        row.detail,
      ].join("  "),
    )
    .join("\n");
}

export function registerHealth(program: Command, context: CliContext): void {
  program
    .command("health")
    .description("check Redis, Postgres and both Neo4j graphs with the apps' credentials")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const rows = await checkHealth(context.config());
      console.log(options.json ? JSON.stringify(rows, null, 2) : formatHealth(rows));
      if (rows.some((row) => !row.ok)) process.exitCode = 1;
    });
}
