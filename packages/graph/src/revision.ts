/*
 * Every write that changes what a projected node's row holds gives the node a new `revision`: a
 * random 52-bit integer (safe as a JS number), drawn inside the statement. The projection copies
 * it into the row, so the reconciler can compare whole ranges of ids by summing revisions on
 * each side (inside Neo4j and inside Postgres) and read rows only where the sums differ. A
 * random token rather than a counter: a node deleted and made again, or restored from a backup,
 * never repeats the revision Postgres last saw.
 */

/** The revision property every projected label carries. */
export const REVISION_PROPERTY = "revision";

/** `<node>.revision = <a fresh random revision>`, for a SET clause; `node` is a variable name from code. */
export function newRevision(node: string): string {
  return `${node}.${REVISION_PROPERTY} = toInteger(rand() * 4503599627370496)`;
}
