import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Config } from "@dealgraph/config";
import type { Logger } from "@dealgraph/logging";
import type { Database } from "./schema";

// Postgres `numeric` and `bigint` arrive as strings from pg; amounts stay exact that way and the
// repositories convert where they need numbers.

export interface CreateDatabaseOptions {
  url: string;
  poolMax?: number;
  /** Shown in pg_stat_activity, so an operator can tell the processes apart. */
  applicationName?: string;
  /** Told when the server drops a pooled connection (restart, failover, admin command). */
  onIdleConnectionError?: (error: Error) => void;
  /** Told of every statement sent (transaction control included): the workers count round trips. */
  onStatement?: () => void;
}

export function createDatabase(options: CreateDatabaseOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? "dealgraph",
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // Without a listener, pg re-throws an idle client's error and the process dies. The pool has
  // already discarded that client and the next query opens a new one, so nothing is lost.
  pool.on("error", (error) => options.onIdleConnectionError?.(error));
  // A connection checked out between two queries (inside a transaction, say) that the server
  // terminates emits its error on the client, where the pool is not listening: without a
  // listener the process dies. Nothing to report here: an idle client's error reaches the pool's
  // listener above, and a checked-out one fails the next query made with it, which is retried.
  pool.on("connect", (client) => client.on("error", () => undefined));
  const onStatement = options.onStatement;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(onStatement ? { log: () => onStatement() } : {}) });
}

/**
 * A process's pool on the configured application database, named `applicationName` in
 * pg_stat_activity; a dropped idle connection is logged and the pool carries on.
 */
export function connectDatabase(
  config: Pick<Config, "postgres">,
  applicationName: string,
  logger: Logger,
  options: Pick<CreateDatabaseOptions, "onStatement"> = {},
): Kysely<Database> {
  return createDatabase({
    url: config.postgres.url,
    poolMax: config.postgres.poolMax,
    applicationName,
    onIdleConnectionError: (error) => logger.warn({ err: error.message }, "postgres dropped an idle connection"),
    ...options,
  });
}

/** The user name in a Postgres URL: the role whose privileges the migrations grant. */
export function roleFromUrl(url: string): string {
  const role = decodeURIComponent(new URL(url).username);
  if (role === "") {
    throw new Error("the database URL names no user; the migrations need the application role's name");
  }
  return role;
}
