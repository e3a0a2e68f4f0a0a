import { GRAPH_NAMES, type Config } from "@dealgraph/config";
import { openGraph } from "@dealgraph/graph";
import { pipelines } from "@dealgraph/pipelines";
import { migrateToLatest } from "@dealgraph/store";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";

/** Postgres migrations, then the schema of both graphs; every step is idempotent. */
export async function migrateAll(config: Config, print: (line: string) => void): Promise<void> {
  const report = await migrateToLatest({
    ownerUrl: config.postgres.ownerUrl,
    appUrl: config.postgres.url,
    embeddingDimension: config.embeddings.dimension,
    modules: pipelines.moduleMigrations(),
  });
  print(
    report.applied.length > 0 ? `postgres: applied ${report.applied.join(", ")} (${report.total} in all)` : `postgres: up to date (${report.total} migrations)`,
  );

  for (const kind of GRAPH_NAMES) {
    const connection = config.graphs[kind];
    const label = `${kind} graph`;
    const client = await openGraph(config, kind);
    await client.close();
    print(`${label}: schema ready at ${connection.uri} (vector dimension ${config.embeddings.dimension})`);
  }
}

export function registerMigrate(program: Command, context: CliContext): void {
  program
    .command("migrate")
    .description("apply Postgres migrations and set up both Neo4j schemas (safe to run again)")
    .action(async () => {
      await migrateAll(context.config(), (line) => console.log(line));
    });
}
