import type { ActionItemVersionsTable, ActionItemsTable, OwnersTable, TopicVersionsTable, TopicsTable } from "@dealgraph/store";
import { accountColumn, graphRevision, interactionLinkRows, sameNamedColumns, versionHistoryColumns } from "@dealgraph/pipeline-kit";
import type { Insertable } from "kysely";
import { storedItemProperties } from "../domain/item-record";
import { storedTopicProperties } from "../domain/topic-record";
import type { StoredNode } from "../graph/action-item-graph-repository";

/*
 * The action-item side of the projection as a pure function of the graph, so that a live run, a
 * replay and a backfill write the same rows. Embeddings travel beside the rows because their
 * column type (vector or real[]) is only known at write time.
 */

const textOrNull = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** An item's row without its embeddings (the projection encodes them for the column type it finds). */
export function actionItemRow(node: StoredNode): Omit<Insertable<ActionItemsTable>, "embedding" | "embedding_current"> {
  const item = storedItemProperties(node.properties);
  const same = sameNamedColumns(item, [
    "tenant_id",
    "action_item_id",
    "text",
    "normalized_text",
    "status",
    "due_hint",
    "due_date",
    "topic_id",
    "confidence",
    "evidence_quote",
    "source_interaction_id",
  ]);
  return {
    ...same,
    account_id: accountColumn(item.account_id),
    owner_id: textOrNull(node.properties.owner_id),
    version: item.version_number,
    graph_revision: graphRevision(node.properties),
  };
}

export function actionItemVersionRow(version: Record<string, unknown>): Insertable<ActionItemVersionsTable> {
  const same = sameNamedColumns(storedItemProperties(version), ["tenant_id", "action_item_id", "version_number", "text", "status", "due_hint", "topic_id"]);
  return { ...same, owner_id: textOrNull(version.owner_id), ...versionHistoryColumns("ActionItemVersion", version), graph_revision: graphRevision(version) };
}

/** A topic's row without its embeddings. */
export function topicRow(node: StoredNode): Omit<Insertable<TopicsTable>, "embedding" | "embedding_current"> {
  const topic = storedTopicProperties(node.properties);
  const same = sameNamedColumns(topic, ["tenant_id", "topic_id", "name", "normalized_name", "summary"]);
  return { ...same, account_id: accountColumn(topic.account_id), version: topic.version_number, graph_revision: graphRevision(node.properties) };
}

export function topicVersionRow(version: Record<string, unknown>): Insertable<TopicVersionsTable> {
  const same = sameNamedColumns(storedTopicProperties(version), ["tenant_id", "topic_id", "version_number", "name", "summary"]);
  return { ...same, ...versionHistoryColumns("TopicVersion", version), graph_revision: graphRevision(version) };
}

export function ownerRow(owner: Record<string, unknown>): Insertable<OwnersTable> {
  return {
    tenant_id: String(owner.tenant_id),
    owner_id: String(owner.owner_id),
    name: String(owner.name),
    normalized_name: String(owner.normalized_name),
    graph_revision: graphRevision(owner),
  };
}

export const linkRows = (node: StoredNode, entityType: "action_item" | "topic") =>
  interactionLinkRows(node, entityType, entityType === "action_item" ? "action_item_id" : "topic_id");
