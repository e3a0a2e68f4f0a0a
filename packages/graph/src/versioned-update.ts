import { ConflictError } from "@dealgraph/errors";
import { newRevision } from "./revision";
import { VECTOR_PROPERTIES, keysWithout, propertyPairsWithoutVectors } from "./vector-free-properties";

/** The versioned records of both graphs: the node label's version label and id property. */
const VERSIONED = {
  Deal: { versionLabel: "DealVersion", idProperty: "opportunity_id" },
  ActionItem: { versionLabel: "ActionItemVersion", idProperty: "action_item_id" },
  Topic: { versionLabel: "TopicVersion", idProperty: "topic_id" },
} as const;
export type VersionedLabel = keyof typeof VERSIONED;

/**
 * What a version node does not copy. The snapshot copies the other properties key by key:
 * `SET v = properties(n)` would read both vectors and write them into the version (12 KB at
 * 1,536 dimensions) only for the next clause to remove them.
 */
const NOT_SNAPSHOTTED = [...VECTOR_PROPERTIES, "embedding_revised", "created_at", "updated_at"];

/**
 * The Cypher of a versioned update, shared by every merge statement: node `n` is copied into a
 * new version node before it changes (DESIGN §5, §6), the copy's validity ending when this
 * interaction happened, and then `n` takes the row `m`'s properties (and a new
 * `embedding_current` when one is given). It expects `n`, a row `m` with `version_id`,
 * `changed_fields`, `change_summary`, `properties`, `embedding_current` (32-bit floats, marking
 * the node revised), and the parameters
 * `$tenantId`, `$interactionId`, `$occurredAt`. Labels and property names are spliced from the
 * table above, never from data.
 */
export function versionedUpdateCypher(label: VersionedLabel): string {
  const { versionLabel, idProperty } = VERSIONED[label];
  return `
  CREATE (v:${versionLabel})
  FOREACH (k IN ${keysWithout("n", NOT_SNAPSHOTTED)} | SET v[k] = n[k])
  SET v.version_id = m.version_id, v.tenant_id = $tenantId, v.${idProperty} = n.${idProperty},
      v.version_number = n.version_number, v.valid_until = datetime($occurredAt),
      v.changed_fields = m.changed_fields, v.change_summary = m.change_summary,
      v.change_source_interaction_id = $interactionId, v.recorded_at = datetime()
  CREATE (n)-[:HAS_VERSION]->(v)
  SET n += m.properties, n.valid_from = datetime($occurredAt), n.updated_at = datetime(), ${newRevision("n")}
  WITH *
  CALL (n, m) {
    WITH n, m WHERE m.embedding_current IS NOT NULL
    CALL db.create.setNodeVectorProperty(n, 'embedding_current', m.embedding_current)
    SET n.embedding_revised = true
  }`;
}

/**
 * Stores a node's embeddings right after MERGE created it (a replayed MERGE finds them set and
 * writes nothing): both start as `row.embedding`, and `embedding_revised` stays false until a
 * versioned update re-embeds the node. They are stored as 32-bit floats
 * (`setNodeVectorProperty`), half the size of the list of doubles a plain SET writes, which
 * halves what matching reads per candidate; and while a node is not revised, matching reads only
 * one of its two vectors (CandidateSearch).
 */
export function storeNewEmbeddingsCypher(row: string): string {
  return `
WITH *
CALL (n, ${row}) {
  WITH n, ${row} WHERE n.embedding IS NULL
  CALL db.create.setNodeVectorProperty(n, 'embedding', ${row}.embedding)
  CALL db.create.setNodeVectorProperty(n, 'embedding_current', ${row}.embedding)
  SET n.embedding_revised = false
}`;
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

/**
 * A versioned node `n` of `label` as the Postgres projection needs it, as one map: plain
 * properties (`properties`), both embeddings, the version history in order and the interactions
 * linked by `linkType` (`links`), plus whatever `extra` adds (`key: expression` entries). Labels
 * and relationship types come from code, never from data.
 */
function projectedNodeMap(label: VersionedLabel, linkType: string, extra: string): string {
  const { versionLabel } = VERSIONED[label];
  return `{properties: ${propertyPairsWithoutVectors("n")},
       embedding: n.embedding, embeddingCurrent: n.embedding_current,
       versions: COLLECT { MATCH (n)-[:HAS_VERSION]->(v:${versionLabel}) RETURN v {.*} AS version ORDER BY v.version_number },
       links: COLLECT {
         MATCH (n)-[r:${linkType}]->(i:Interaction)
         RETURN {interaction_id: i.interaction_id, relation: r.relation} AS link ORDER BY i.interaction_id
       }${
         extra === ""
           ? ""
           : `,
       ${extra}`
       }}`;
}

/** Versioned nodes of `label` by id (`$ids`), one `row` each (see projectedNodeMap). */
export function readForProjectionCypher(label: VersionedLabel, linkType: string, extra = ""): string {
  const { idProperty } = VERSIONED[label];
  return `
UNWIND $ids AS id
MATCH (n:${label} {tenant_id: $tenantId, ${idProperty}: id})
RETURN ${projectedNodeMap(label, linkType, extra)} AS row`;
}

/**
 * The versioned nodes of `label` an interaction is linked to by `linkType` (what it created,
 * changed or mentioned), one `row` each (see projectedNodeMap): the projection's read of an
 * envelope's records, in the write that linked them. (The interaction is not called `i`: the
 * map's own subqueries name every linked interaction so.)
 */
export function readLinkedForProjectionCypher(label: VersionedLabel, linkType: string, extra = ""): string {
  return `
MATCH (written:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
MATCH (n:${label})-[:${linkType}]->(written)
WHERE n.tenant_id = $tenantId
RETURN ${projectedNodeMap(label, linkType, extra)} AS row`;
}

/** One versioned record's merge, as the write transaction applies it to the stored node. */
export interface MergeWrite<Record> {
  record: Record;
  /** The version number the merge was computed from; a different stored one is a conflict. */
  baseVersion: number;
  versionId: string;
  changedFields: string[];
  changeSummary: string;
  /** Null keeps the stored `embedding_current` (the text did not change materially). */
  embeddingCurrent: number[] | null;
}

/** A merge as the `m` row of `versionedUpdateCypher`'s UNWIND: the node's id and new properties beside the version's facts. */
export function mergeParameters<Record>(merge: MergeWrite<Record>, id: string, properties: { [key: string]: unknown }) {
  return {
    id,
    base_version: merge.baseVersion,
    changed: merge.changedFields.length > 0,
    version_id: merge.versionId,
    changed_fields: merge.changedFields,
    change_summary: merge.changeSummary,
    properties,
    embedding_current: merge.embeddingCurrent,
  };
}

/**
 * Creates the `rows` parameter's nodes of `label` an envelope found new (each `{id, properties,
 * embedding}`), linked to its Interaction by `linkType` as `created`; a replayed MERGE finds them
 * and writes nothing. `rest` continues the statement over `n` and `d` (more links); each node's
 * id comes back as `row`. Labels and the parameter's name come from code.
 */
export function createNodesCypher(label: VersionedLabel, linkType: string, rows: string, rest = ""): string {
  const { idProperty } = VERSIONED[label];
  return `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND $${rows} AS d
MERGE (n:${label} {tenant_id: $tenantId, ${idProperty}: d.id})
  ON CREATE SET n += d.properties, n.valid_from = datetime($occurredAt), n.created_at = datetime(), n.updated_at = datetime(), ${newRevision("n")}
${storeNewEmbeddingsCypher("d")}
MERGE (n)-[r:${linkType}]->(i)
  ON CREATE SET r.relation = 'created', r.at = datetime()${rest}
RETURN n.${idProperty} AS row`;
}
