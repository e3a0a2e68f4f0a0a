import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

// Postgres `numeric` and `bigint` arrive as strings from pg; amounts stay exact that way and the
// repositories convert where they need numbers.

export interface CreateDatabaseOptions {
  url: string;
  poolMax?: number;
  /** Shown in pg_stat_activity, so an operator can tell the processes apart. */
  applicationName?: string;
}

export function createDatabase(options: CreateDatabaseOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? "dealgraph",
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The user name in a Postgres URL: the role whose privileges the migrations grant. */
export function roleFromUrl(url: string): string {
  const role = decodeURIComponent(new URL(url).username);
  if (role === "") {
    throw new Error("the database URL names no user; the migrations need the application role's name");
  }
  return role;
}
