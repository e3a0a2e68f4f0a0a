import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { projectionNotify } from "./projection-notifications";
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
  /** A timestamp column set to now() whenever an existing row is updated. */
  touch?: string;
}

/** One table's rows and how they meet the rows already there. */
export interface RowsUpsert {
  table: string;
  rows: ReadonlyArray<Record<string, unknown>>;
  rule: UpsertRule;
}

/** Untyped, because the table is chosen at run time; the rows were typed by their builders. */
type AnyDatabase = Kysely<Record<string, Record<string, unknown>>>;

/**
 * Upserts projection rows: every column of the first row that is neither key nor insert-only
 * takes the incoming value. Returns the rows inserted or updated. Table and column names come
 * from code (the row builders and a pipeline's projection), values travel as parameters.
 */
export async function upsertRows(trx: Transaction<Database>, table: string, rows: ReadonlyArray<Record<string, unknown>>, rule: UpsertRule): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await upsertQuery(trx as unknown as AnyDatabase, { table, rows, rule }).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * A projection's upserts of several tables and its notices (see projection-notifications) as
 * one statement, one round trip however many tables it writes: each upsert a data-modifying
 * WITH query, answering how many rows it inserted or updated, by name. The upserts see the same
 * snapshot, so no two may write one table; foreign keys are checked once the statement is done,
 * so parents and children go in together. The notices are delivered at commit, like any.
 */
export async function upsertTogether<Name extends string>(
  trx: Transaction<Database>,
  upserts: Readonly<Record<Name, RowsUpsert>>,
  notices: { tenantId: string; idsByKind: Record<string, readonly string[]> },
): Promise<Record<Name, number>> {
  const db = trx as unknown as AnyDatabase;
  const names = (Object.keys(upserts) as Name[]).filter((name) => upserts[name].rows.length > 0);
  // The WITH queries' names must not be a table's: `upserted_opportunities`, not `opportunities`.
  const cte = (name: string) => `upserted_${name}`;
  let query = db as unknown as AnyDatabase;
  for (const name of names) {
    query = query.with(cte(name), () => upsertQuery(db, upserts[name]).returning(sql<number>`1`.as("upserted"))) as unknown as AnyDatabase;
  }
  const row = await query
    .selectNoFrom([
      ...names.map((name) => sql<number>`(select count(*) from ${sql.table(cte(name))})::int`.as(name)),
      projectionNotify(notices.tenantId, notices.idsByKind).as("notified"),
    ])
    .executeTakeFirstOrThrow();
  const counts = row as Record<string, unknown>;
  return Object.fromEntries((Object.keys(upserts) as Name[]).map((name) => [name, Number(counts[name] ?? 0)])) as Record<Name, number>;
}

function upsertQuery(db: AnyDatabase, { table, rows, rule }: RowsUpsert) {
  const first = rows[0] ?? {};
  const fixed = new Set([...rule.key, ...(rule.insertOnly ?? [])]);
  const updated = Object.keys(first).filter((column) => !fixed.has(column));
  // Rows go in key order: two projections upserting the same rows (a tenant's owners, shared by
  // its accounts) then lock them in the same order, instead of deadlocking when their orders cross.
  const ordered = [...rows].sort((a, b) => compareKeys(a, b, rule.key));
  return db
    .insertInto(table)
    .values(ordered)
    .onConflict((oc) => {
      const set = { ...takeIncoming(updated), ...(rule.touch === undefined ? {} : { [rule.touch]: sql`now()` }) };
      const update = oc.columns([...rule.key]).doUpdateSet(set);
      const version = rule.newerOnly;
      if (version === undefined) return update;
      return update.where(({ eb, or, ref }) => or([eb(`${table}.${version}`, "is", null), eb(`${table}.${version}`, "<=", ref(`excluded.${version}`))]));
    });
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>, key: readonly string[]): number {
  for (const column of key) {
    const left = String(a[column] ?? "");
    const right = String(b[column] ?? "");
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}
