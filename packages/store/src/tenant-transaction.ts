import { sql, type Kysely, type Transaction } from "kysely";
import { ValidationError } from "@dealgraph/errors";
import type { Database } from "./schema";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `work` in a transaction scoped to one tenant: row-level security then shows and accepts
 * only that tenant's rows. The setting is transaction-local (`set_config(..., true)`), so a
 * pooled connection never carries one tenant's scope into another's work.
 */
export async function withTenant<T>(db: Kysely<Database>, tenantId: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  assertTenantId(tenantId);
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
    return work(trx);
  });
}

/** Refuses a tenant id that is not a UUID, naming the field, before any query is sent with it. */
export function assertTenantId(tenantId: string): void {
  if (!UUID.test(tenantId)) {
    throw new ValidationError(`tenant id must be a UUID, got "${tenantId}"`, [{ path: "tenant_id", message: "Must be a UUID" }]);
  }
}
