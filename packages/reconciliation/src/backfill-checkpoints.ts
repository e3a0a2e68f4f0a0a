import { withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";

/** Where an unfinished backfill of a tenant and kind got to (`backfill_checkpoints`). */
export class BackfillCheckpoints {
  constructor(private readonly db: Kysely<Database>) {}

  async read(tenantId: string, kind: string, since: string): Promise<{ lastId: string; rowsWritten: number } | null> {
    const row = await withTenant(this.db, tenantId, (trx) =>
      trx
        .selectFrom("backfill_checkpoints")
        .select(["last_id", "rows_written"])
        .where("tenant_id", "=", tenantId)
        .where("kind", "=", kind)
        .where("since", "=", since)
        .executeTakeFirst(),
    );
    return row ? { lastId: row.last_id, rowsWritten: Number(row.rows_written) } : null;
  }

  async save(tenantId: string, kind: string, since: string, lastId: string, rowsWritten: number): Promise<void> {
    await withTenant(this.db, tenantId, (trx) =>
      trx
        .insertInto("backfill_checkpoints")
        .values({ tenant_id: tenantId, kind, since, last_id: lastId, rows_written: rowsWritten })
        .onConflict((oc) => oc.columns(["tenant_id", "kind", "since"]).doUpdateSet({ last_id: lastId, rows_written: rowsWritten, updated_at: new Date() }))
        .execute(),
    );
  }

  /** A finished kind leaves no checkpoint: the next backfill starts from the beginning. */
  async clear(tenantId: string, kind: string, since: string): Promise<void> {
    await withTenant(this.db, tenantId, (trx) =>
      trx.deleteFrom("backfill_checkpoints").where("tenant_id", "=", tenantId).where("kind", "=", kind).where("since", "=", since).execute(),
    );
  }
}
