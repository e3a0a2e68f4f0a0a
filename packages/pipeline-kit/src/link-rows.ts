import type { InteractionLinksTable, RowsUpsert } from "@dealgraph/store";
import type { Insertable } from "kysely";

/** Provenance links (interaction ↔ entity) as an upsert: the graph's relation wins. */
export function linkUpsert(links: ReadonlyArray<Insertable<InteractionLinksTable>>): RowsUpsert {
  return { table: "interaction_links", rows: links, rule: { key: ["tenant_id", "interaction_id", "entity_type", "entity_id"] } };
}
