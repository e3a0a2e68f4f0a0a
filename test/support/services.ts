import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { loadConfig, type Config, type GraphName } from "@dealgraph/config";
import { GraphClient, applyGraphSchema } from "@dealgraph/graph";
import { migrateToLatest } from "@dealgraph/store";

/** The same configuration the apps use: `.env` if present, else the local defaults. */
export function testConfig(): Config {
  return loadConfig();
}

/** A tenant no other test uses, so suites never see each other's data. */
export function freshTenantId(): string {
  return randomUUID();
}

export async function migratedPostgres(config: Config): Promise<void> {
  await migrateToLatest({
    ownerUrl: config.postgres.ownerUrl,
    appUrl: config.postgres.url,
    embeddingDimension: config.embeddings.dimension,
  });
}

export async function connectGraph(config: Config, kind: GraphName): Promise<GraphClient> {
  const client = GraphClient.connect(config.graphs[kind], { name: `${kind}-graph-test` });
  await applyGraphSchema(client, kind, config.embeddings.dimension);
  return client;
}

/** The same Postgres URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.href;
}

/** Fault tests: stop the local Postgres in place (scripts/services.sh postgres-stop). */
export async function stopPostgres(): Promise<void> {
  await runServices("postgres-stop");
}

/** Start it again and wait until it accepts connections. */
export async function startPostgres(): Promise<void> {
  await runServices("postgres-start");
}

async function runServices(command: string): Promise<void> {
  await promisify(execFile)("bash", ["scripts/services.sh", command, "--quiet"], { cwd: path.resolve(__dirname, "../..") });
}
