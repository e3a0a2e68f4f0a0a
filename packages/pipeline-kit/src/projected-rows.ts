import { decodeStoredNode, stored } from "@dealgraph/errors";
import { REVISION_PROPERTY, type ProjectedNode } from "@dealgraph/graph";
import type { InteractionLinksTable } from "@dealgraph/store";
import type { Insertable } from "kysely";
import { z } from "zod";

/*
 * Row pieces every versioned label projects the same way: a version's history columns and a
 * node's provenance links. Pure functions of what the graph holds.
 */

const isoText = () =>
  z
    .unknown()
    .optional()
    .transform((value) => (typeof value === "string" && value !== "" ? value : null));

const versionHistorySchema = z.looseObject({
  version_id: stored.text(),
  valid_from: z.string({ error: "Must be the ISO-8601 time the version became valid" }).min(1, "Must be the ISO-8601 time the version became valid"),
  valid_until: isoText(),
  change_summary: stored.optionalText(),
  changed_fields: z
    .unknown()
    .optional()
    .transform((value) => (Array.isArray(value) ? value.map(String) : [])),
  change_source_interaction_id: stored.optionalText(),
});

/** The history columns of a version row; a snapshot without its id or validity throws a StoredRecordError naming `versionLabel`. */
export function versionHistoryColumns(versionLabel: string, version: Record<string, unknown>) {
  const history = decodeStoredNode(versionLabel, "version_id", versionHistorySchema, version);
  return {
    version_id: history.version_id,
    change_summary: history.change_summary,
    changed_fields: history.changed_fields,
    change_source_interaction_id: history.change_source_interaction_id,
    valid_from: history.valid_from,
    valid_until: history.valid_until,
  };
}

/** The node's provenance as `interaction_links` rows: one per interaction that created, changed or mentioned it. */
export function interactionLinkRows(
  node: ProjectedNode,
  entityType: InteractionLinksTable["entity_type"],
  idProperty: string,
): Array<Insertable<InteractionLinksTable>> {
  return node.links.map((link) => ({
    tenant_id: String(node.properties.tenant_id),
    interaction_id: link.interaction_id,
    entity_type: entityType,
    entity_id: String(node.properties[idProperty]),
    relation: link.relation,
  }));
}

/** The properties of `stored` that a row keeps under the same names (the rest of its columns are computed). */
export function sameNamedColumns<Stored extends object, Key extends keyof Stored>(stored: Stored, keys: readonly Key[]): Pick<Stored, Key> {
  return Object.fromEntries(keys.map((key) => [key, stored[key]])) as Pick<Stored, Key>;
}

/** The node's graph revision (see @dealgraph/graph's revision.ts) as its row keeps it; null for a node written before revisions. */
export function graphRevision(properties: Record<string, unknown>): number | null {
  const revision = properties[REVISION_PROPERTY];
  return typeof revision === "number" ? revision : null;
}
