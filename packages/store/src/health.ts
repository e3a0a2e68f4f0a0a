import { sql, type Kysely } from "kysely";
import type { Database } from "./schema";

/** Resolves when Postgres answers; rejects with the driver's error otherwise. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
