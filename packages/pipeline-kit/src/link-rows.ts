import { takeIncoming, type Database, type InteractionLinksTable } from "@dealgraph/store";
import type { Insertable, Transaction } from "kysely";

/** Upserts provenance links (interaction ↔ entity); the graph's relation wins. */
export async function upsertLinkRows(trx: Transaction<Database>, links: ReadonlyArray<Insertable<InteractionLinksTable>>): Promise<number> {
  if (links.length === 0) return 0;
  const result = await trx
    .insertInto("interaction_links")
    .values([...links])
    .onConflict((oc) => oc.columns(["tenant_id", "interaction_id", "entity_type", "entity_id"]).doUpdateSet(takeIncoming(["relation"])))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
