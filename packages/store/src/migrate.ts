import { Migrator, type Kysely, type Migration, type MigrationResult, type MigrationResultSet } from "kysely";
import { createDatabase, roleFromUrl } from "./database";
import { migrationProvider, type MigrationContext } from "./migrations";

export interface MigrateOptions {
  /** Connects as the schema owner. */
  ownerUrl: string;
  /** The apps' connection URL; its user is granted the application privileges. */
  appUrl: string;
  embeddingDimension: number;
  /** Registered pipelines' own migrations, run after the core's, each set tracked in a table of its own. */
  modules?: readonly ModuleMigrations[];
}

/**
 * A pipeline's own tables: migrations kept with the pipeline and recorded in a migration table
 * named after it, so that a database migrated with a pipeline registered stays valid for a
 * process that does not register it (Kysely refuses a history with migrations it does not know).
 */
export interface ModuleMigrations {
  name: string;
  migrations(context: MigrationContext): Record<string, Migration>;
}

export interface MigrateReport {
  applied: string[];
  /** Every migration the database has, applied now or before. */
  total: number;
}

/** The core's migrator, then one per module with migrations of its own; names prefixed by the module's (`word_counts/0001-…`). */
function migratorsOf(db: Kysely<unknown>, options: MigrateOptions): Array<{ prefix: string; migrator: Migrator }> {
  const context: MigrationContext = { appRole: roleFromUrl(options.appUrl), embeddingDimension: options.embeddingDimension };
  return [
    { prefix: "", migrator: new Migrator({ db, provider: migrationProvider(context) }) },
    ...(options.modules ?? []).map((module) => ({
      prefix: `${module.name}/`,
      migrator: new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(module.migrations(context)) },
        migrationTableName: `dealgraph_migrations_${module.name}`,
        migrationLockTableName: `dealgraph_migrations_${module.name}_lock`,
      }),
    })),
  ];
}

/**
 * Names of the migrations this build has that the database has not run. Commands that write the
 * projection check it first, so an unmigrated database is one clear error before any work rather
 * than a failed projection per call.
 */
export async function pendingMigrations(options: MigrateOptions): Promise<string[]> {
  const db = createDatabase({ url: options.ownerUrl, poolMax: 1, applicationName: "dealgraph-migrate" });
  try {
    const pending: string[] = [];
    for (const { prefix, migrator } of migratorsOf(db as Kysely<unknown>, options)) {
      pending.push(...(await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => `${prefix}${m.name}`));
    }
    return pending;
  } finally {
    await db.destroy();
  }
}

/**
 * Brings the schema to the latest migration, the core's first, then each module's. Kysely takes
 * an advisory lock, so two processes migrating at once run the migrations once; a second run
 * applies nothing.
 */
export async function migrateToLatest(options: MigrateOptions): Promise<MigrateReport> {
  return migrate(options, (migrator) => migrator.migrateToLatest(), true);
}

/** Brings the core schema up or down to the named migration (a rollback runs each later one's `down`); modules' tables are left as they are. */
export async function migrateTo(options: MigrateOptions, target: string): Promise<MigrateReport> {
  return migrate(options, (migrator) => migrator.migrateTo(target), false);
}

async function migrate(options: MigrateOptions, run: (migrator: Migrator) => Promise<MigrationResultSet>, withModules: boolean): Promise<MigrateReport> {
  const db = createDatabase({ url: options.ownerUrl, poolMax: 1, applicationName: "dealgraph-migrate" });
  try {
    const report: MigrateReport = { applied: [], total: 0 };
    const all = migratorsOf(db as Kysely<unknown>, options);
    for (const { prefix, migrator } of withModules ? all : all.slice(0, 1)) {
      const { error, results } = await run(migrator);
      if (error) {
        const failed = results?.find((r: MigrationResult) => r.status === "Error");
        throw new Error(`migration ${prefix}${failed?.migrationName ?? "(unknown)"} failed: ${String((error as Error).message ?? error)}`, { cause: error });
      }
      report.applied.push(...(results ?? []).filter((r) => r.status === "Success").map((r) => `${prefix}${r.migrationName}`));
      report.total += (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined).length;
    }
    return report;
  } finally {
    await db.destroy();
  }
}
