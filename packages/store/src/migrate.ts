import { Migrator, type MigrationResult, type MigrationResultSet } from "kysely";
import { createDatabase, roleFromUrl } from "./database";
import { migrationProvider } from "./migrations";

export interface MigrateOptions {
  /** Connects as the schema owner. */
  ownerUrl: string;
  /** The apps' connection URL; its user is granted the application privileges. */
  appUrl: string;
  embeddingDimension: number;
}

export interface MigrateReport {
  applied: string[];
  /** Every migration the database has, applied now or before. */
  total: number;
}

/**
 * Names of the migrations this build has that the database has not run. Commands that write the
 * projection check it first, so an unmigrated database is one clear error before any work rather
 * than a failed projection per call.
 */
export async function pendingMigrations(options: MigrateOptions): Promise<string[]> {
  const db = createDatabase({ url: options.ownerUrl, poolMax: 1, applicationName: "dealgraph-migrate" });
  try {
    const migrator = new Migrator({
      db,
      provider: migrationProvider({ appRole: roleFromUrl(options.appUrl), embeddingDimension: options.embeddingDimension }),
    });
    return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
  } finally {
    await db.destroy();
  }
}

/**
 * Brings the schema to the latest migration. Kysely takes an advisory lock, so two processes
 * migrating at once run the migrations once; a second run applies nothing.
 */
export async function migrateToLatest(options: MigrateOptions): Promise<MigrateReport> {
  return migrate(options, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema up or down to the named migration (a rollback runs each later one's `down`). */
export async function migrateTo(options: MigrateOptions, target: string): Promise<MigrateReport> {
  return migrate(options, (migrator) => migrator.migrateTo(target));
}

async function migrate(options: MigrateOptions, run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<MigrateReport> {
  const db = createDatabase({ url: options.ownerUrl, poolMax: 1, applicationName: "dealgraph-migrate" });
  try {
    const migrator = new Migrator({
      db,
      provider: migrationProvider({
        appRole: roleFromUrl(options.appUrl),
        embeddingDimension: options.embeddingDimension,
      }),
    });
    const { error, results } = await run(migrator);
    if (error) {
      const failed = results?.find((r: MigrationResult) => r.status === "Error");
      throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed: ${String((error as Error).message ?? error)}`, {
        cause: error,
      });
    }
    const all = await migrator.getMigrations();
    return {
      applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
      total: all.filter((m) => m.executedAt !== undefined).length,
    };
  } finally {
    await db.destroy();
  }
}
