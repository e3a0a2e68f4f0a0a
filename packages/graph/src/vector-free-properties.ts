/** The properties that hold a node's vectors: large, and needed only by matching. */
export const VECTOR_PROPERTIES = ["embedding", "embedding_current"] as const;

/**
 * A Cypher list of node `variable`'s property keys other than `excluded`: keys only, so no
 * property value (a vector least of all) is read. Both arguments come from code, never from data.
 */
export function keysWithout(variable: string, excluded: readonly string[]): string {
  return `[k IN keys(${variable}) WHERE NOT k IN [${excluded.map((p) => `'${p}'`).join(", ")}]]`;
}

/**
 * A Cypher expression for node `variable`'s properties other than its vectors, as `[key, value]`
 * pairs (read back with propertiesFromPairs; Cypher without APOC cannot build a map from dynamic
 * keys). `n {.*, embedding: null}` reads both vectors from the store only to drop them, which
 * made reading a thousand deals five times slower (160 ms against 30 ms). `variable` is a name
 * from the query's own text, never from data.
 */
export function propertyPairsWithoutVectors(variable: string): string {
  return `[k IN ${keysWithout(variable, VECTOR_PROPERTIES)} | [k, ${variable}[k]]]`;
}

/** The map a propertyPairsWithoutVectors expression returned. */
export function propertiesFromPairs(pairs: unknown): Record<string, unknown> {
  return Object.fromEntries(pairs as Array<[string, unknown]>);
}
