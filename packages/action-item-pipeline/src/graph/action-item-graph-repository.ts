import {
  VersionedNodes,
  factParameters,
  JointStatement,
  mergeParameters,
  newRevision,
  plainProperties,
  propertiesFromPairs,
  propertyPairsWithoutVectors,
  readInteractionWithIds,
  stampParameters,
  stampedInteraction,
  stampedInteractionCypher,
} from "@dealgraph/graph";
import type { GraphTransaction, InteractionFacts, MergeWrite, ProjectedNode } from "@dealgraph/graph";
import { itemProperties, ownerKey, type ActionItemRecord } from "../domain/item-record";
import { topicProperties, type TopicRecord } from "../domain/topic-record";

/*
 * Reads and writes of the action-item graph for one envelope. Stage 0 is one statement, and so
 * is the whole write (each kind of change one UNWIND over all of the envelope's items, topics
 * or owners), so an envelope costs a fixed number of round trips however many items it holds;
 * every statement is scoped by tenant_id and takes values only as parameters.
 *
 * Provenance: an item is linked to every interaction that mentioned it (`EXTRACTED_FROM`), a
 * topic to every interaction that filed items under it (`DISCUSSED_IN`), each link carrying
 * whether that interaction created, updated or only mentioned it. A merge applies only to the
 * version it was computed from and only once per interaction; anything else is a conflict.
 */

const READ_ENVELOPE_STATE = `
OPTIONAL MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
RETURN i.processed_at IS NOT NULL AS applied,
       COLLECT {
         MATCH (n:ActionItem {tenant_id: $tenantId, account_id: $accountId})
         WHERE n.status IN ['open', 'in_progress']
         RETURN {text: n.text, owner_name: n.owner_name} ORDER BY n.updated_at DESC, n.action_item_id DESC LIMIT toInteger($knownLimit)
       } AS knownItems`;

/** How many open items of the account the extraction is told about. */
const KNOWN_ITEMS_LIMIT = 50;

const UPSERT_OWNERS = `
UNWIND $owners AS o
MERGE (n:Owner {tenant_id: $tenantId, normalized_name: o.normalized_name})
  ON CREATE SET n.owner_id = o.owner_id, n.name = o.name, n.created_at = datetime(), ${newRevision("n")}
RETURN n.owner_id AS row`;

const MERGE_TOPICS = (versionedUpdate: string, merges: string) => `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND ${merges} AS m
MATCH (n:Topic {tenant_id: $tenantId, topic_id: m.id})
WHERE n.version_number = m.base_version AND NOT EXISTS { (n)-[:DISCUSSED_IN]->(i) }
CALL (n, m, i) {
  WITH n, m WHERE m.changed
  ${versionedUpdate}
}
MERGE (n)-[r:DISCUSSED_IN]->(i)
  ON CREATE SET r.relation = CASE WHEN m.changed THEN 'updated' ELSE 'mentioned' END, r.at = datetime()
RETURN n.topic_id AS row`;

/*
 * A changed item is snapshotted before SET (an `ActionItemVersion` valid until this
 * interaction); an unchanged one only gains the provenance link. A new owner replaces the old.
 */
const MERGE_ITEMS = (versionedUpdate: string, merges: string) => `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND ${merges} AS m
MATCH (n:ActionItem {tenant_id: $tenantId, action_item_id: m.id})
WHERE n.version_number = m.base_version AND NOT EXISTS { (n)-[:EXTRACTED_FROM]->(i) }
CALL (n, m) {
  WITH n, m WHERE m.changed
  ${versionedUpdate}
}
CALL (n, m) {
  WITH n, m WHERE m.owner_changed AND m.owner_key IS NOT NULL
  OPTIONAL MATCH (n)-[old:OWNED_BY]->(:Owner)
  DELETE old
  WITH DISTINCT n, m
  MATCH (o:Owner {tenant_id: $tenantId, normalized_name: m.owner_key})
  MERGE (n)-[:OWNED_BY]->(o)
  SET n.owner_id = o.owner_id, ${newRevision("n")}
}
MERGE (n)-[r:EXTRACTED_FROM]->(i)
  ON CREATE SET r.relation = CASE WHEN m.changed THEN 'updated' ELSE 'mentioned' END, r.at = datetime()
RETURN n.action_item_id AS row`;

/** What a candidate search returns of each candidate item (see itemCandidateRecord): what a merge into it starts from. */
export const ITEM_CANDIDATE_RECORD = `{item: ${propertyPairsWithoutVectors("n")},
  topic: COLLECT { MATCH (n)-[:BELONGS_TO]->(t:Topic) RETURN ${propertyPairsWithoutVectors("t")} AS topic }[0]}`;

/** What a candidate search returns of each candidate topic (see topicCandidateRecord). */
export const TOPIC_CANDIDATE_RECORD = propertyPairsWithoutVectors("n");

/** A stored item as a merge into it needs it: its properties and its topic's, as plain values. */
export interface ItemWithTopic {
  item: Record<string, unknown>;
  topic: Record<string, unknown> | null;
}

/** A candidate item's record as ITEM_CANDIDATE_RECORD read it. */
export function itemCandidateRecord(record: unknown): ItemWithTopic {
  const { item, topic } = record as { item: unknown; topic: unknown };
  return { item: propertiesFromPairs(item), topic: topic === null || topic === undefined ? null : propertiesFromPairs(topic) };
}

/** A candidate topic's record as TOPIC_CANDIDATE_RECORD read it: its plain properties. */
export const topicCandidateRecord = (record: unknown): Record<string, unknown> => propertiesFromPairs(record);

const READ_INTERACTION = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
RETURN i {.*} AS interaction,
       COLLECT { MATCH (n:ActionItem {tenant_id: $tenantId})-[:EXTRACTED_FROM]->(i) RETURN n.action_item_id } AS itemIds,
       COLLECT { MATCH (t:Topic {tenant_id: $tenantId})-[:DISCUSSED_IN]->(i) RETURN t.topic_id } AS topicIds`;

export type ItemMergeWrite = MergeWrite<ActionItemRecord>;
export type TopicMergeWrite = MergeWrite<TopicRecord>;

/** An item or topic as the projection needs it, with the item's owner. */
export interface StoredNode extends ProjectedNode {
  owners: Array<Record<string, unknown>>;
}

const ITEMS = new VersionedNodes<StoredNode>({
  label: "ActionItem",
  linkType: "EXTRACTED_FROM",
  noun: "action item",
  createRest: `
WITH n, d
MATCH (t:Topic {tenant_id: $tenantId, topic_id: d.properties.topic_id})
MERGE (n)-[:BELONGS_TO]->(t)
WITH n, d
CALL (n, d) {
  WITH n, d WHERE d.owner_key IS NOT NULL
  MATCH (o:Owner {tenant_id: $tenantId, normalized_name: d.owner_key})
  MERGE (n)-[:OWNED_BY]->(o)
  SET n.owner_id = o.owner_id, ${newRevision("n")}
}`,
  merge: MERGE_ITEMS,
  projectionExtra: "owners: COLLECT { MATCH (n)-[:OWNED_BY]->(o:Owner) RETURN o {.*} AS owner }",
});

const TOPICS = new VersionedNodes<StoredNode>({
  label: "Topic",
  linkType: "DISCUSSED_IN",
  noun: "topic",
  merge: MERGE_TOPICS,
  projectionExtra: "owners: []",
});

/** What the projection writes of an envelope: its Interaction's properties and the items and topics linked to it. */
export interface ItemProjectionSource {
  interaction: Record<string, unknown> | null;
  items: StoredNode[];
  topics: StoredNode[];
}

/** The envelope's whole write, and the read-back of what the projection needs, as one statement; owners and topics first, which the items link to. */
const WRITE_ENVELOPE = new JointStatement({
  interaction: stampedInteractionCypher("action_items"),
  owners: UPSERT_OWNERS,
  createdTopics: TOPICS.createPart,
  mergedTopics: TOPICS.mergePart,
  createdItems: ITEMS.createPart,
  mergedItems: ITEMS.mergePart,
  items: ITEMS.linkedPart,
  topics: TOPICS.linkedPart,
});

const withOwners = (row: Record<string, unknown>) => ({ owners: (row.owners as Array<Record<string, unknown>>).map(plainProperties) });

export class ActionItemGraphRepository {
  async readEnvelopeState(
    tx: GraphTransaction,
    facts: InteractionFacts,
  ): Promise<{ applied: boolean; knownItems: Array<{ text: string; owner_name: string | null }> }> {
    const result = await tx.run(READ_ENVELOPE_STATE, { ...factParameters(facts), knownLimit: KNOWN_ITEMS_LIMIT });
    const row = result.records[0];
    return {
      applied: row?.get("applied") === true,
      knownItems: (row?.get("knownItems") as Array<{ text: string; owner_name: string | null }> | undefined) ?? [],
    };
  }

  /**
   * The envelope's write in one statement: the Interaction with its stamp, the owners its items
   * name (per tenant, found by normalised name; `mintId` names the new ones), the topics and
   * items created and merged (each snapshotted and updated), and what the projection writes of it
   * read back. Throws a (retryable) ConflictError, rolling the transaction back, when a merged
   * item or topic changed since it was read or already carries this interaction.
   */
  async writeEnvelope(
    tx: GraphTransaction,
    facts: InteractionFacts,
    planned: {
      owners: readonly string[];
      topicCreates: ReadonlyArray<{ record: TopicRecord; embedding: number[] }>;
      topicMerges: readonly TopicMergeWrite[];
      itemCreates: ReadonlyArray<{ record: ActionItemRecord; embedding: number[] }>;
      itemMerges: readonly ItemMergeWrite[];
    },
    stamp: { count: number; outcome: unknown },
    mintId: () => string,
  ): Promise<ItemProjectionSource> {
    const owners = new Map<string, string>();
    for (const name of planned.owners) if (!owners.has(ownerKey(name))) owners.set(ownerKey(name), name);
    const topicMerges = planned.topicMerges.map((m) => mergeParameters(m, m.record.topicId, topicProperties(m.record)));
    const itemMerges = planned.itemMerges.map((m) => ({
      ...mergeParameters(m, m.record.actionItemId, itemProperties(m.record)),
      owner_changed: m.changedFields.includes("owner_id"),
      owner_key: m.record.ownerName === null ? null : ownerKey(m.record.ownerName),
    }));
    const written = await WRITE_ENVELOPE.run(tx, {
      ...stampParameters(facts, stamp),
      // In key order: concurrent envelopes of a tenant's accounts then lock shared owners in one order.
      owners: [...owners].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([normalized_name, name]) => ({ normalized_name, name, owner_id: mintId() })),
      ...TOPICS.createParameters(planned.topicCreates.map((t) => ({ id: t.record.topicId, properties: topicProperties(t.record), embedding: t.embedding }))),
      ...TOPICS.mergeParameters(topicMerges),
      ...ITEMS.createParameters(
        planned.itemCreates.map((i) => ({
          id: i.record.actionItemId,
          properties: itemProperties(i.record),
          embedding: i.embedding,
          owner_key: i.record.ownerName === null ? null : ownerKey(i.record.ownerName),
        })),
      ),
      ...ITEMS.mergeParameters(itemMerges),
    });
    const list = (name: string) => written[name] ?? [];
    TOPICS.checkMerged(topicMerges, list("mergedTopics"));
    ITEMS.checkMerged(itemMerges, list("mergedItems"));
    return {
      interaction: stampedInteraction(written.interaction),
      items: ITEMS.decode(list("items"), withOwners),
      topics: TOPICS.decode(list("topics"), withOwners),
    };
  }

  readInteraction(tx: GraphTransaction, tenantId: string, interactionId: string) {
    return readInteractionWithIds(tx, READ_INTERACTION, tenantId, interactionId, ["itemIds", "topicIds"]);
  }

  async readForProjection(
    tx: GraphTransaction,
    tenantId: string,
    ids: { items: readonly string[]; topics: readonly string[] },
  ): Promise<{ items: StoredNode[]; topics: StoredNode[] }> {
    return {
      items: await ITEMS.readForProjection(tx, tenantId, ids.items, withOwners),
      topics: await TOPICS.readForProjection(tx, tenantId, ids.topics, withOwners),
    };
  }
}
