import type { ActionItemVersionsTable, ActionItemsTable, InteractionLinksTable, OwnersTable, TopicVersionsTable, TopicsTable } from "@dealgraph/store";
import { accountColumn } from "@dealgraph/pipeline-kit";
import type { Insertable } from "kysely";
import { itemFromProperties } from "../domain/item-record";
import { topicFromProperties } from "../domain/topic-record";
import type { StoredNode } from "../graph/action-item-graph-repository";

/*
 * The action-item side of the projection as a pure function of the graph, so that a live run, a
 * replay and a backfill write the same rows. Embeddings travel beside the rows because their
 * column type (vector or real[]) is only known at write time.
 */

const iso = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const textOrNull = (value: unknown): string | null => (typeof value === "string" ? value : null);

function validity(version: Record<string, unknown>, kind: string): { valid_from: string; valid_until: string | null } {
  const validFrom = iso(version.valid_from);
  if (validFrom === null) throw new Error(`${kind} version ${String(version.version_id)} has no valid_from`);
  return { valid_from: validFrom, valid_until: iso(version.valid_until) };
}

function versionMeta(version: Record<string, unknown>) {
  return {
    version_id: String(version.version_id),
    change_summary: textOrNull(version.change_summary),
    changed_fields: Array.isArray(version.changed_fields) ? version.changed_fields.map(String) : [],
    change_source_interaction_id: textOrNull(version.change_source_interaction_id),
  };
}

export interface RowWithEmbeddings<Row> {
  row: Row;
  embedding: number[] | null;
  embeddingCurrent: number[] | null;
}

export function actionItemRow(node: StoredNode): RowWithEmbeddings<Omit<Insertable<ActionItemsTable>, "embedding" | "embedding_current">> {
  const record = itemFromProperties(node.properties);
  return {
    row: {
      tenant_id: record.tenantId,
      action_item_id: record.actionItemId,
      account_id: accountColumn(record.accountId),
      text: record.text,
      normalized_text: record.normalizedText,
      status: record.status,
      due_hint: record.dueHint,
      due_date: record.dueDate,
      owner_id: textOrNull(node.properties.owner_id),
      topic_id: record.topicId,
      confidence: record.confidence,
      evidence_quote: record.evidenceQuote,
      version: record.versionNumber,
      source_interaction_id: record.sourceInteractionId,
    },
    embedding: node.embedding,
    embeddingCurrent: node.embeddingCurrent,
  };
}

export function actionItemVersionRow(version: Record<string, unknown>): Insertable<ActionItemVersionsTable> {
  const record = itemFromProperties(version);
  return {
    tenant_id: record.tenantId,
    action_item_id: record.actionItemId,
    version_number: record.versionNumber,
    text: record.text,
    status: record.status,
    due_hint: record.dueHint,
    owner_id: textOrNull(version.owner_id),
    topic_id: record.topicId,
    ...versionMeta(version),
    ...validity(version, "action item"),
  };
}

export function topicRow(node: StoredNode): RowWithEmbeddings<Omit<Insertable<TopicsTable>, "embedding" | "embedding_current">> {
  const record = topicFromProperties(node.properties);
  return {
    row: {
      tenant_id: record.tenantId,
      topic_id: record.topicId,
      account_id: accountColumn(record.accountId),
      name: record.name,
      normalized_name: record.normalizedName,
      summary: record.summary,
      version: record.versionNumber,
    },
    embedding: node.embedding,
    embeddingCurrent: node.embeddingCurrent,
  };
}

export function topicVersionRow(version: Record<string, unknown>): Insertable<TopicVersionsTable> {
  const record = topicFromProperties(version);
  return {
    tenant_id: record.tenantId,
    topic_id: record.topicId,
    version_number: record.versionNumber,
    name: record.name,
    summary: record.summary,
    ...versionMeta(version),
    ...validity(version, "topic"),
  };
}

export function ownerRow(owner: Record<string, unknown>): Insertable<OwnersTable> {
  return {
    tenant_id: String(owner.tenant_id),
    owner_id: String(owner.owner_id),
    name: String(owner.name),
    normalized_name: String(owner.normalized_name),
  };
}

export function linkRows(node: StoredNode, entityType: "action_item" | "topic"): Array<Insertable<InteractionLinksTable>> {
  const id = entityType === "action_item" ? node.properties.action_item_id : node.properties.topic_id;
  return node.links.map((link) => ({
    tenant_id: String(node.properties.tenant_id),
    interaction_id: link.interaction_id,
    entity_type: entityType,
    entity_id: String(id),
    relation: link.relation,
  }));
}
