import {
  assertAllApplied,
  createNodesCypher,
  mergeParameters,
  plainProperties,
  propertiesFromPairs,
  propertyPairsWithoutVectors,
  readForProjectionCypher,
  versionedUpdateCypher,
  type InteractionFacts,
  type MergeWrite,
} from "@dealgraph/graph";
import type { ManagedTransaction } from "neo4j-driver";
import { itemProperties, ownerKey, type ActionItemRecord } from "../domain/item-record";
import { topicProperties, type TopicRecord } from "../domain/topic-record";

/*
 * Reads and writes of the action-item graph for one envelope. Every write is one UNWIND over
 * all of the envelope's items, topics or owners, so an envelope costs a fixed number of round
 * trips however many items it holds; every statement is scoped by tenant_id and takes values
 * only as parameters.
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
  ON CREATE SET n.owner_id = o.owner_id, n.name = o.name, n.created_at = datetime()`;

const CREATE_TOPICS = createNodesCypher("Topic", "DISCUSSED_IN");

const MERGE_TOPICS = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND $merges AS m
MATCH (n:Topic {tenant_id: $tenantId, topic_id: m.id})
WHERE n.version_number = m.base_version AND NOT EXISTS { (n)-[:DISCUSSED_IN]->(i) }
CALL (n, m, i) {
  WITH n, m WHERE m.changed
  ${versionedUpdateCypher("Topic")}
}
MERGE (n)-[r:DISCUSSED_IN]->(i)
  ON CREATE SET r.relation = CASE WHEN m.changed THEN 'updated' ELSE 'mentioned' END, r.at = datetime()
RETURN n.topic_id AS id`;

const CREATE_ITEMS = createNodesCypher(
  "ActionItem",
  "EXTRACTED_FROM",
  `
WITH n, d
MATCH (t:Topic {tenant_id: $tenantId, topic_id: d.properties.topic_id})
MERGE (n)-[:BELONGS_TO]->(t)
WITH n, d
CALL (n, d) {
  WITH n, d WHERE d.owner_key IS NOT NULL
  MATCH (o:Owner {tenant_id: $tenantId, normalized_name: d.owner_key})
  MERGE (n)-[:OWNED_BY]->(o)
  SET n.owner_id = o.owner_id
}
RETURN count(n) AS created`,
);

/*
 * A changed item is snapshotted before SET (an `ActionItemVersion` valid until this
 * interaction); an unchanged one only gains the provenance link. A new owner replaces the old.
 */
const MERGE_ITEMS = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND $merges AS m
MATCH (n:ActionItem {tenant_id: $tenantId, action_item_id: m.id})
WHERE n.version_number = m.base_version AND NOT EXISTS { (n)-[:EXTRACTED_FROM]->(i) }
CALL (n, m) {
  WITH n, m WHERE m.changed
  ${versionedUpdateCypher("ActionItem")}
}
CALL (n, m) {
  WITH n, m WHERE m.owner_changed AND m.owner_key IS NOT NULL
  OPTIONAL MATCH (n)-[old:OWNED_BY]->(:Owner)
  DELETE old
  WITH DISTINCT n, m
  MATCH (o:Owner {tenant_id: $tenantId, normalized_name: m.owner_key})
  MERGE (n)-[:OWNED_BY]->(o)
  SET n.owner_id = o.owner_id
}
MERGE (n)-[r:EXTRACTED_FROM]->(i)
  ON CREATE SET r.relation = CASE WHEN m.changed THEN 'updated' ELSE 'mentioned' END, r.at = datetime()
RETURN n.action_item_id AS id`;

const READ_ITEMS = `
UNWIND $ids AS id
MATCH (n:ActionItem {tenant_id: $tenantId, action_item_id: id})
OPTIONAL MATCH (n)-[:BELONGS_TO]->(t:Topic)
RETURN ${propertyPairsWithoutVectors("n")} AS item, ${propertyPairsWithoutVectors("t")} AS topic`;

const READ_TOPICS = `
UNWIND $ids AS id
MATCH (t:Topic {tenant_id: $tenantId, topic_id: id})
RETURN ${propertyPairsWithoutVectors("t")} AS topic`;

const READ_INTERACTION = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
RETURN i {.*} AS interaction,
       COLLECT { MATCH (n:ActionItem {tenant_id: $tenantId})-[:EXTRACTED_FROM]->(i) RETURN n.action_item_id } AS itemIds,
       COLLECT { MATCH (t:Topic {tenant_id: $tenantId})-[:DISCUSSED_IN]->(i) RETURN t.topic_id } AS topicIds`;

const READ_ITEMS_FOR_PROJECTION = readForProjectionCypher(
  "ActionItem",
  "EXTRACTED_FROM",
  "COLLECT { MATCH (n)-[:OWNED_BY]->(o:Owner) RETURN o {.*} AS owner } AS owners",
);

const READ_TOPICS_FOR_PROJECTION = readForProjectionCypher("Topic", "DISCUSSED_IN", "[] AS owners");

export type ItemMergeWrite = MergeWrite<ActionItemRecord>;
export type TopicMergeWrite = MergeWrite<TopicRecord>;

/** A node as the projection needs it: plain properties, both embeddings, history, provenance. */
export interface StoredNode {
  properties: Record<string, unknown>;
  embedding: number[] | null;
  embeddingCurrent: number[] | null;
  versions: Array<Record<string, unknown>>;
  links: Array<{ interaction_id: string; relation: "created" | "updated" | "mentioned" }>;
  owners: Array<Record<string, unknown>>;
}

export class ActionItemGraphRepository {
  async readEnvelopeState(
    tx: ManagedTransaction,
    facts: InteractionFacts,
  ): Promise<{ applied: boolean; knownItems: Array<{ text: string; owner_name: string | null }> }> {
    const result = await tx.run(READ_ENVELOPE_STATE, { ...facts, knownLimit: KNOWN_ITEMS_LIMIT });
    const row = result.records[0];
    return {
      applied: row?.get("applied") === true,
      knownItems: (row?.get("knownItems") as Array<{ text: string; owner_name: string | null }> | undefined) ?? [],
    };
  }

  /** Owners are per tenant, found by normalised name; `mintId` names the ones that are new. */
  async upsertOwners(tx: ManagedTransaction, tenantId: string, names: readonly string[], mintId: () => string): Promise<void> {
    const byKey = new Map<string, string>();
    for (const name of names) if (!byKey.has(ownerKey(name))) byKey.set(ownerKey(name), name);
    if (byKey.size === 0) return;
    await tx.run(UPSERT_OWNERS, {
      tenantId,
      owners: [...byKey].map(([normalized_name, name]) => ({ normalized_name, name, owner_id: mintId() })),
    });
  }

  async createTopics(tx: ManagedTransaction, facts: InteractionFacts, topics: ReadonlyArray<{ record: TopicRecord; embedding: number[] }>): Promise<void> {
    if (topics.length === 0) return;
    await tx.run(CREATE_TOPICS, {
      ...facts,
      rows: topics.map((t) => ({ id: t.record.topicId, properties: topicProperties(t.record), embedding: t.embedding })),
    });
  }

  async mergeTopics(tx: ManagedTransaction, facts: InteractionFacts, merges: readonly TopicMergeWrite[]): Promise<void> {
    if (merges.length === 0) return;
    const result = await tx.run(MERGE_TOPICS, {
      ...facts,
      merges: merges.map((m) => mergeParameters(m, m.record.topicId, topicProperties(m.record))),
    });
    assertAllApplied(
      "topic",
      merges.map((m) => m.record.topicId),
      result.records.map((r) => String(r.get("id"))),
    );
  }

  async createItems(tx: ManagedTransaction, facts: InteractionFacts, items: ReadonlyArray<{ record: ActionItemRecord; embedding: number[] }>): Promise<void> {
    if (items.length === 0) return;
    await tx.run(CREATE_ITEMS, {
      ...facts,
      rows: items.map((i) => ({
        id: i.record.actionItemId,
        properties: itemProperties(i.record),
        embedding: i.embedding,
        owner_key: i.record.ownerName === null ? null : ownerKey(i.record.ownerName),
      })),
    });
  }

  async mergeItems(tx: ManagedTransaction, facts: InteractionFacts, merges: readonly ItemMergeWrite[]): Promise<void> {
    if (merges.length === 0) return;
    const result = await tx.run(MERGE_ITEMS, {
      ...facts,
      merges: merges.map((m) => ({
        ...mergeParameters(m, m.record.actionItemId, itemProperties(m.record)),
        owner_changed: m.changedFields.includes("owner_id"),
        owner_key: m.record.ownerName === null ? null : ownerKey(m.record.ownerName),
      })),
    });
    assertAllApplied(
      "action item",
      merges.map((m) => m.record.actionItemId),
      result.records.map((r) => String(r.get("id"))),
    );
  }

  /** Stored items by id with their topics; unknown ids are absent. */
  async readItems(
    tx: ManagedTransaction,
    tenantId: string,
    ids: readonly string[],
  ): Promise<Array<{ item: Record<string, unknown>; topic: Record<string, unknown> | null }>> {
    if (ids.length === 0) return [];
    const result = await tx.run(READ_ITEMS, { tenantId, ids: [...ids] });
    return result.records.map((r) => ({
      item: propertiesFromPairs(r.get("item")),
      topic: r.get("topic") === null ? null : propertiesFromPairs(r.get("topic")),
    }));
  }

  async readTopics(tx: ManagedTransaction, tenantId: string, ids: readonly string[]): Promise<Array<Record<string, unknown>>> {
    if (ids.length === 0) return [];
    const result = await tx.run(READ_TOPICS, { tenantId, ids: [...ids] });
    return result.records.map((r) => propertiesFromPairs(r.get("topic")));
  }

  async readInteraction(
    tx: ManagedTransaction,
    tenantId: string,
    interactionId: string,
  ): Promise<{ properties: Record<string, unknown>; itemIds: string[]; topicIds: string[] } | null> {
    const result = await tx.run(READ_INTERACTION, { tenantId, interactionId });
    const row = result.records[0];
    if (!row) return null;
    return {
      properties: plainProperties(row.get("interaction") as Record<string, unknown>),
      itemIds: (row.get("itemIds") as string[]).slice().sort(),
      topicIds: (row.get("topicIds") as string[]).slice().sort(),
    };
  }

  async readForProjection(
    tx: ManagedTransaction,
    tenantId: string,
    ids: { items: readonly string[]; topics: readonly string[] },
  ): Promise<{ items: StoredNode[]; topics: StoredNode[] }> {
    const read = async (query: string, list: readonly string[]) => {
      if (list.length === 0) return [];
      const result = await tx.run(query, { tenantId, ids: [...list] });
      return result.records.map((r): StoredNode => ({
        properties: plainProperties(propertiesFromPairs(r.get("properties"))),
        embedding: r.get("embedding") as number[] | null,
        embeddingCurrent: r.get("embeddingCurrent") as number[] | null,
        versions: (r.get("versions") as Array<Record<string, unknown>>).map(plainProperties),
        links: r.get("links") as StoredNode["links"],
        owners: (r.get("owners") as Array<Record<string, unknown>>).map(plainProperties),
      }));
    };
    return { items: await read(READ_ITEMS_FOR_PROJECTION, ids.items), topics: await read(READ_TOPICS_FOR_PROJECTION, ids.topics) };
  }
}
