import { sql, type RawBuilder } from "kysely";

export type EmbeddingStorage = "vector" | "real[]";

/**
 * pgvector's `vector(n)` where the server has the extension installed in the database, else
 * `real[]` (DESIGN.md §8). The dimension is validated here because DDL takes no parameters.
 */
export function embeddingColumnType(storage: EmbeddingStorage, dimension: number): RawBuilder<unknown> {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16_000) {
    throw new RangeError(`embedding dimension must be a whole number from 1 to 16000, got ${dimension}`);
  }
  return storage === "vector" ? sql`vector(${sql.lit(dimension)})` : sql`real[]`;
}
