import type { Database } from "@dealgraph/store";
import { withTenant } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import type { AccountState } from "./score-series";

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);

/**
 * Reads what an account ended with from the Postgres projection (what the CRM sees): its deals
 * with the system's own view of stage and amount, and its action items with their owners.
 */
export class AccountStateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Removes what an evaluation run wrote for its own throwaway tenant, children first, so that
   * repeated runs leave nothing behind for the reconciler and the CRM to walk. Needs the owner
   * role: the CRM-shared `opportunities` table and the tenant list are not the application's.
   */
  deleteTenant(tenantId: string): Promise<void> {
    return withTenant(this.db, tenantId, async (trx) => {
      await trx.deleteFrom("deal_versions").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("opportunities").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("action_item_versions").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("action_items").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("topic_versions").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("topics").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("owners").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("interaction_links").where("tenant_id", "=", tenantId).execute();
      await trx.deleteFrom("interactions").where("tenant_id", "=", tenantId).execute();
      // The reconciler's list of tenants with projected rows, which triggers fill and never empty.
      await sql`delete from projection_tenants where tenant_id = ${tenantId}::uuid`.execute(trx);
    });
  }

  read(tenantId: string, accountId: string): Promise<AccountState> {
    return withTenant(this.db, tenantId, async (trx) => {
      const deals = await trx
        .selectFrom("opportunities")
        .select(["name", "latest_ai_summary", "ai_workflow_metadata", "currency", "meddic_economic_buyer", "meddic_champion", "ai_updated_at", "created_at"])
        .where("tenant_id", "=", tenantId)
        .where("account_id", "=", accountId)
        .where("graph_opportunity_id", "is not", null)
        .execute();
      const items = await trx
        .selectFrom("action_items")
        .leftJoin("owners", (join) => join.onRef("owners.owner_id", "=", "action_items.owner_id").onRef("owners.tenant_id", "=", "action_items.tenant_id"))
        .select(["action_items.text", "action_items.status", "owners.name as owner"])
        .where("action_items.tenant_id", "=", tenantId)
        .where("action_items.account_id", "=", accountId)
        .execute();
      return {
        deals: deals.map((row) => {
          const meta = row.ai_workflow_metadata ?? {};
          return {
            name: row.name ?? "",
            summary: row.latest_ai_summary ?? "",
            stage: text(meta.ai_stage),
            amount: number(meta.ai_amount),
            currency: text(meta.ai_currency) ?? row.currency,
            economicBuyer: row.meddic_economic_buyer,
            champion: row.meddic_champion,
            updatedAt: new Date(row.ai_updated_at ?? row.created_at).toISOString(),
          };
        }),
        items: items.map((row) => ({ text: row.text, owner: row.owner, status: row.status })),
      };
    });
  }
}
