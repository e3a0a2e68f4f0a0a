import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";

/**
 * Deletes the tenants' word_counts rows, as the table owner: the module's table is its own, so
 * the shared clean-up does not know it, and FORCE row-level security binds the owner too.
 */
export async function deleteWordCountRows(owner: Kysely<Database>, tenants: readonly string[]): Promise<void> {
  for (const tenantId of tenants) await withTenant(owner, tenantId, (trx) => sql`delete from word_counts where tenant_id = ${tenantId}`.execute(trx));
}
