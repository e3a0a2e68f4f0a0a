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
 * A vector as a parameter for an embedding column: pg sends a JS array as an array literal
 * (`{…}`), which `real[]` takes, while `vector` only parses its own text form (`[…]`).
 */
export function encodeEmbedding(storage: EmbeddingStorage, vector: readonly number[] | null): number[] | string | null {
  if (vector === null) return null;
  return storage === "vector" ? `[${vector.join(",")}]` : [...vector];
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
