import type { Migration, MigrationProvider } from "kysely";
import { projectionSchema } from "./0001-projection-schema";
import type { MigrationContext } from "./migration-context";

export { TENANT_TABLES } from "./0001-projection-schema";
export type { MigrationContext } from "./migration-context";

/** All migrations in order. Names sort in the order they must run. */
export function migrationProvider(context: MigrationContext): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        "0001-projection-schema": projectionSchema(context),
      };
    },
  };
}
