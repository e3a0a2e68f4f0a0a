import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { Database } from "./schema";

/**
 * `SET column = excluded.column` for each column, for `onConflict(...).doUpdateSet`: the upsert
 * takes every incoming value. Column names must come from code (row builders), never from data.
 */
export function takeIncoming(columns: readonly string[]): Record<string, RawBuilder<unknown>> {
  return Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)]));
}

export interface UpsertRule {
  /** The conflict target (the table's unique key, tenant first). */
  key: readonly string[];
  /**
   * A version column: an existing row is updated only while its stored value is not ahead of
   * the incoming one, so a late, older snapshot never overwrites a newer one.
   */
  newerOnly?: string;
  /** Columns written on insert and never updated (values another system owns afterwards). */
  insertOnly?: readonly string[];
}

/**
 * Upserts projection rows: every column of the first row that is neither key nor insert-only
 * takes the incoming value. Returns the rows inserted or updated. Table and column names come
 * from code (the row builders and a pipeline's projection), values travel as parameters.
 */
export async function upsertRows(trx: Transaction<Database>, table: string, rows: ReadonlyArray<Record<string, unknown>>, rule: UpsertRule): Promise<number> {
  const first = rows[0];
  if (first === undefined) return 0;
  const fixed = new Set([...rule.key, ...(rule.insertOnly ?? [])]);
  const updated = Object.keys(first).filter((column) => !fixed.has(column));
  // The table is chosen at run time, so the query is built untyped; the rows were typed by their builders.
  const db = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  // Rows go in key order: two projections upserting the same rows (a tenant's owners, shared by
  // its accounts) then lock them in the same order, instead of deadlocking when their orders cross.
  const ordered = [...rows].sort((a, b) => compareKeys(a, b, rule.key));
  const result = await db
    .insertInto(table)
    .values(ordered)
    .onConflict((oc) => {
      const update = oc.columns([...rule.key]).doUpdateSet(takeIncoming(updated));
      const version = rule.newerOnly;
      if (version === undefined) return update;
      return update.where(({ eb, or, ref }) => or([eb(`${table}.${version}`, "is", null), eb(`${table}.${version}`, "<=", ref(`excluded.${version}`))]));
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>, key: readonly string[]): number {
  for (const column of key) {
    const left = String(a[column] ?? "");
    const right = String(b[column] ?? "");
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}
