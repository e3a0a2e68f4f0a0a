import { sql, type RawBuilder } from "kysely";

/**
 * `SET column = excluded.column` for each column, for `onConflict(...).doUpdateSet`: the upsert
 * takes every incoming value. Column names must come from code (row builders), never from data.
 */
export function takeIncoming(columns: readonly string[]): Record<string, RawBuilder<unknown>> {
  return Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)]));
}
