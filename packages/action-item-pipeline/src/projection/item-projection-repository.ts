import { ProjectionWriter, linkUpsert, type ProjectionInput, type VectorColumns } from "@dealgraph/pipeline-kit";
import type { Database, RowsUpsert } from "@dealgraph/store";
import type { Kysely } from "kysely";
import type { StoredNode } from "../graph/action-item-graph-repository";
import { actionItemRow, actionItemVersionRow, linkRows, ownerRow, topicRow, topicVersionRow } from "./item-rows";

/** What one projection wrote (rows upserted, by table). */
export interface ItemProjectionCounts {
  owners: number;
  topics: number;
  topic_versions: number;
  action_items: number;
  action_item_versions: number;
  interaction_links: number;
  interactions: number;
}

type ItemNodes = { items: readonly StoredNode[]; topics: readonly StoredNode[] };
export type ItemProjectionInput = ProjectionInput<ItemNodes>;

/*
 * Writes the action-item side of the Postgres projection in one tenant-scoped transaction:
 * owners, topics and their versions, items and their versions, provenance links and the
 * interaction's counts. Upserts take the graph's values; an item or topic row is updated only
 * when its stored version is not ahead of the incoming one, so an older snapshot never
 * overwrites a newer one. All of it is one statement (see ProjectionWriter), whose foreign keys
 * are checked once it is done.
 */
export class ItemProjectionRepository extends ProjectionWriter<ItemNodes, ItemProjectionCounts> {
  constructor(db: Kysely<Database>) {
    super(db, "action_items");
  }

  protected projectedIds(input: ItemProjectionInput) {
    return {
      action_item: input.items.map((node) => String(node.properties.action_item_id)),
      topic: input.topics.map((node) => String(node.properties.topic_id)),
    };
  }

  protected upserts(input: ItemProjectionInput, vectors: VectorColumns): Record<Exclude<keyof ItemProjectionCounts, "interactions">, RowsUpsert> {
    const owners = [...new Map(input.items.flatMap((n) => n.owners).map((o) => [String(o.owner_id), ownerRow(o)])).values()];
    const topics = input.topics.map((n) => ({ ...topicRow(n), ...vectors(n) }));
    const items = input.items.map((n) => ({ ...actionItemRow(n), ...vectors(n) }));
    const topicVersions = input.topics.flatMap((n) => n.versions.map(topicVersionRow));
    const itemVersions = input.items.flatMap((n) => n.versions.map(actionItemVersionRow));
    const links = [...input.items.flatMap((n) => linkRows(n, "action_item")), ...input.topics.flatMap((n) => linkRows(n, "topic"))];
    return {
      owners: { table: "owners", rows: owners, rule: { key: ["tenant_id", "owner_id"] } },
      topics: { table: "topics", rows: topics, rule: { key: ["tenant_id", "topic_id"], newerOnly: "version" } },
      topic_versions: { table: "topic_versions", rows: topicVersions, rule: { key: ["tenant_id", "version_id"] } },
      action_items: { table: "action_items", rows: items, rule: { key: ["tenant_id", "action_item_id"], newerOnly: "version" } },
      action_item_versions: { table: "action_item_versions", rows: itemVersions, rule: { key: ["tenant_id", "version_id"] } },
      interaction_links: linkUpsert(links),
    };
  }
}
