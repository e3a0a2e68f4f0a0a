import { upsertRows, type Database, type InteractionLinksTable } from "@dealgraph/store";
import type { Insertable, Transaction } from "kysely";

/** Upserts provenance links (interaction ↔ entity); the graph's relation wins. */
export function upsertLinkRows(trx: Transaction<Database>, links: ReadonlyArray<Insertable<InteractionLinksTable>>): Promise<number> {
  return upsertRows(trx, "interaction_links", links, { key: ["tenant_id", "interaction_id", "entity_type", "entity_id"] });
}
