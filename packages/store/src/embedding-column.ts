import { sql, type Kysely, type RawBuilder } from "kysely";

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

/** Whether the database has pgvector, which decides the embedding columns' type at migration. */
export async function detectEmbeddingStorage(db: Kysely<unknown>): Promise<EmbeddingStorage> {
  const { rows } = await sql<{ installed: boolean }>`
    select exists (select 1 from pg_extension where extname = 'vector') as installed`.execute(db);
  return rows[0]?.installed ? "vector" : "real[]";
}

/**
 * A vector as a parameter for an embedding column, in the column type's text form: pgvector's
 * `[…]` or an array literal `{…}` for `real[]`. Numbers need no quoting, so the literal is
 * joined here rather than left to pg, which escapes every element of a JS array one by one (a
 * twelfth of a worker's CPU when projecting 1,536-float vectors).
 */
export function encodeEmbedding(storage: EmbeddingStorage, vector: readonly number[] | null): string | null {
  if (vector === null) return null;
  const text = vector.join(",");
  return storage === "vector" ? `[${text}]` : `{${text}}`;
}

/**
 * `detectEmbeddingStorage` asked once per database and remembered; a failed check (the
 * database unreachable) is forgotten, so the next call asks again instead of failing forever.
 */
export function embeddingStorageOf(db: Kysely<unknown>): () => Promise<EmbeddingStorage> {
  let known: Promise<EmbeddingStorage> | undefined;
  return () =>
    (known ??= detectEmbeddingStorage(db).catch((error: unknown) => {
      known = undefined;
      throw error;
    }));
}
