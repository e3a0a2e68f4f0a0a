import { ConflictError } from "@dealgraph/errors";

/** The versioned records of both graphs: the node label's version label and id property. */
const VERSIONED = {
  Deal: { versionLabel: "DealVersion", idProperty: "opportunity_id" },
  ActionItem: { versionLabel: "ActionItemVersion", idProperty: "action_item_id" },
  Topic: { versionLabel: "TopicVersion", idProperty: "topic_id" },
} as const;
export type VersionedLabel = keyof typeof VERSIONED;

/**
 * The Cypher of a versioned update, shared by every merge statement: node `n` is copied into a
 * new version node before it changes (DESIGN §5, §6), the copy's validity ending when this
 * interaction happened, and then `n` takes the row `m`'s properties (and a new
 * `embedding_current` when one is given). It expects `n`, a row `m` with `version_id`,
 * `changed_fields`, `change_summary`, `properties`, `embedding_current`, and the parameters
 * `$tenantId`, `$interactionId`, `$occurredAt`. Labels and property names are spliced from the
 * table above, never from data.
 */
export function versionedUpdateCypher(label: VersionedLabel): string {
  const { versionLabel, idProperty } = VERSIONED[label];
  return `
  CREATE (v:${versionLabel})
  SET v = properties(n)
  REMOVE v.embedding, v.embedding_current, v.created_at, v.updated_at
  SET v.version_id = m.version_id, v.tenant_id = $tenantId, v.${idProperty} = n.${idProperty},
      v.version_number = n.version_number, v.valid_until = datetime($occurredAt),
      v.changed_fields = m.changed_fields, v.change_summary = m.change_summary,
      v.change_source_interaction_id = $interactionId, v.recorded_at = datetime()
  CREATE (n)-[:HAS_VERSION]->(v)
  SET n += m.properties, n.valid_from = datetime($occurredAt), n.updated_at = datetime()
  FOREACH (_ IN CASE WHEN m.embedding_current IS NULL THEN [] ELSE [1] END | SET n.embedding_current = m.embedding_current)`;
}

/**
 * Merge statements apply only to the version they were computed from: an id missing from what
 * the statement returned was changed by someone else meanwhile. Throwing rolls the whole
 * transaction back, and the (retryable) ConflictError has the work redone on fresh reads.
 */
export function assertAllApplied(kind: string, expected: readonly string[], applied: readonly string[]): void {
  const done = new Set(applied);
  const stale = expected.filter((id) => !done.has(id));
  if (stale.length > 0) throw new ConflictError(`${kind}(s) ${stale.join(", ")} changed since they were read; nothing was written`);
}
