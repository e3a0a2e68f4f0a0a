import {
  deleteWithLinks,
  interactionKind,
  versionKind,
  versionOrphanCheck,
  type OrphanCheck,
  type ProjectionKind,
  type ProjectionPorts,
} from "@dealgraph/pipeline-kit";
import { ActionItemGraphRepository } from "../graph/action-item-graph-repository";
import { ItemProjectionRepository } from "./item-projection-repository";
import { actionItemRow, actionItemVersionRow, ownerRow, topicRow, topicVersionRow } from "./item-rows";

const node = (properties: Record<string, unknown>) => ({ properties, embedding: null, embeddingCurrent: null, versions: [], links: [], owners: [] });
const graphRepository = new ActionItemGraphRepository();

/** Items and topics are read and written together: their versions, owners and links come along. */
async function reprojectItemsAndTopics(
  { graph, db }: ProjectionPorts,
  tenantId: string,
  ids: { items: readonly string[]; topics: readonly string[] },
): Promise<number> {
  const read = await graph.read((tx) => graphRepository.readForProjection(tx, tenantId, ids));
  if (read.items.length + read.topics.length > 0) await new ItemProjectionRepository(db).project({ tenantId, interaction: null, ...read });
  return read.items.length + read.topics.length;
}

/** What the action-item pipeline projects, parents first: topics, owners, items, their versions, interactions (DESIGN §10). */
export const ITEM_PROJECTION_KINDS: readonly ProjectionKind[] = [
  {
    kind: "topics",
    graph: "action_items",
    label: "Topic",
    idProperty: "topic_id",
    table: "topics",
    idColumn: "topic_id",
    revisionColumn: "graph_revision",
    columns: { account_id: "text", name: "text", summary: "text", version: "int" },
    rowOf: (p) => topicRow(node(p)),
    backfill: true,
    reproject: (ports, tenantId, ids) => reprojectItemsAndTopics(ports, tenantId, { items: [], topics: ids }),
    async removeExtras(trx, ids) {
      await trx
        .updateTable("action_items")
        .set({ topic_id: null })
        .where("topic_id", "in", [...ids])
        .execute();
      await trx
        .deleteFrom("topic_versions")
        .where("topic_id", "in", [...ids])
        .execute();
      return deleteWithLinks(trx, { table: "topics", idColumn: "topic_id", entityType: "topic" }, ids);
    },
  },
  versionKind({
    kind: "topic_versions",
    graph: "action_items",
    label: "TopicVersion",
    table: "topic_versions",
    columns: { topic_id: "text", version_number: "int", name: "text" },
    rowOf: (p) => topicVersionRow(p) as Record<string, unknown>,
    parent: { kind: "topics", idProperty: "topic_id" },
  }),
  {
    kind: "owners",
    graph: "action_items",
    label: "Owner",
    idProperty: "owner_id",
    table: "owners",
    idColumn: "owner_id",
    revisionColumn: "graph_revision",
    columns: { name: "text", normalized_name: "text" },
    rowOf: (p) => ownerRow(p) as Record<string, unknown>,
    // Owners are projected with the items they own.
    async reproject(ports, tenantId, ids) {
      const items = await ports.graph.read(async (tx) => {
        const result = await tx.run(
          "MATCH (a:ActionItem {tenant_id: $tenantId})-[:OWNED_BY]->(o:Owner {tenant_id: $tenantId}) WHERE o.owner_id IN $ids RETURN DISTINCT a.action_item_id AS id",
          { tenantId, ids: [...ids] },
        );
        return result.records.map((r) => String(r.get("id")));
      });
      await ports.reprojectKind("action_items", tenantId, items);
      return ids.length;
    },
    async removeExtras(trx, ids) {
      await trx
        .updateTable("action_items")
        .set({ owner_id: null })
        .where("owner_id", "in", [...ids])
        .execute();
      return deleteWithLinks(trx, { table: "owners", idColumn: "owner_id", entityType: "owner" }, ids);
    },
  },
  {
    kind: "action_items",
    graph: "action_items",
    label: "ActionItem",
    idProperty: "action_item_id",
    table: "action_items",
    idColumn: "action_item_id",
    revisionColumn: "graph_revision",
    columns: { account_id: "text", text: "text", status: "text", owner_id: "text", topic_id: "text", version: "int" },
    rowOf: (p) => actionItemRow(node(p)),
    backfill: true,
    reproject: (ports, tenantId, ids) => reprojectItemsAndTopics(ports, tenantId, { items: ids, topics: [] }),
    async removeExtras(trx, ids) {
      await trx
        .deleteFrom("action_item_versions")
        .where("action_item_id", "in", [...ids])
        .execute();
      return deleteWithLinks(trx, { table: "action_items", idColumn: "action_item_id", entityType: "action_item" }, ids);
    },
  },
  versionKind({
    kind: "action_item_versions",
    graph: "action_items",
    label: "ActionItemVersion",
    table: "action_item_versions",
    columns: { action_item_id: "text", version_number: "int", text: "text", status: "text" },
    rowOf: (p) => actionItemVersionRow(p) as Record<string, unknown>,
    parent: { kind: "action_items", idProperty: "action_item_id" },
  }),
  interactionKind("action_item_interactions", "action_items", "action_items"),
];

export const ITEM_ORPHAN_CHECKS: readonly OrphanCheck[] = [
  {
    name: "action_items_unlinked",
    graph: "action_items",
    match:
      "MATCH (n:ActionItem {tenant_id: $tenantId}) WHERE NOT (n)-[:OWNED_BY]->(:Owner) AND NOT (n)-[:BELONGS_TO]->(:Topic) AND NOT (n)-[:EXTRACTED_FROM]->(:Interaction)",
    idProperty: "action_item_id",
  },
  versionOrphanCheck("action_item_versions_without_parent", "action_items", "ActionItemVersion"),
  versionOrphanCheck("topic_versions_without_parent", "action_items", "TopicVersion"),
];
