import { ACTION_ITEM_STATUSES, resolveDueDate, type ActionItemStatus, type ExtractedActionItem } from "@dealgraph/extraction";
import { stored, storedRecordCodec } from "@dealgraph/errors";
import { normalizeKey } from "@dealgraph/matching";
import { z } from "zod";

/** An action item as this system stores it; graph properties and projection rows derive from it. */
export interface ActionItemRecord {
  actionItemId: string;
  tenantId: string;
  accountId: string;
  text: string;
  normalizedText: string;
  status: ActionItemStatus;
  dueHint: string | null;
  /** The hint as a date (YYYY-MM-DD), read relative to when the interaction that gave it happened. */
  dueDate: string | null;
  /** The owner as spoken; the Owner node is found by its normalised form. */
  ownerName: string | null;
  topicId: string;
  confidence: number;
  evidenceQuote: string | null;
  versionNumber: number;
  sourceInteractionId: string;
  sourceUserId: string | null;
}

export interface ItemSource {
  interactionId: string;
  userId: string | null;
  /** When the interaction happened (ISO-8601): what "by Friday" is relative to. */
  occurredAt: string | null;
}

/** The per-tenant key of an owner: "Dana  Whitfield" and "dana whitfield" are one person. */
export const ownerKey = (name: string) => normalizeKey(name);

/**
 * Statuses move forward: a later call that merely restates an item ("open") does not reopen a
 * done one or undo a start; a stated outcome (done, cancelled) always applies, and a cancelled
 * item mentioned as open again is revived.
 */
export function nextStatus(current: ActionItemStatus, incoming: ActionItemStatus): ActionItemStatus {
  if (incoming === "done" || incoming === "cancelled") return incoming;
  if (current === "cancelled") return incoming;
  if (incoming === "in_progress") return current === "done" ? current : incoming;
  return current;
}

export function newItemRecord(
  item: ExtractedActionItem,
  ids: { actionItemId: string; tenantId: string; accountId: string; topicId: string },
  source: ItemSource,
): ActionItemRecord {
  return {
    ...ids,
    text: item.text,
    normalizedText: normalizeKey(item.text),
    status: item.status,
    dueHint: item.due_hint,
    dueDate: resolveDueDate(item.due_hint, source.occurredAt),
    ownerName: item.owner_name,
    confidence: item.confidence,
    evidenceQuote: item.quote,
    versionNumber: 1,
    sourceInteractionId: source.interactionId,
    sourceUserId: source.userId,
  };
}

/**
 * What one more mention adds: the status by `nextStatus`, the latest stated due date and owner
 * (an unstated one keeps the old). A restated commitment (status open) brings its new wording;
 * a report ("the case is closed") describes an outcome, not the commitment, so the wording stays.
 * The topic stays: an item keeps the topic it was filed under.
 */
export function absorbItem(current: ActionItemRecord, incoming: ExtractedActionItem, source: ItemSource): ActionItemRecord {
  const reworded = incoming.status === "open" ? incoming.text : current.text;
  return {
    ...current,
    text: reworded,
    normalizedText: normalizeKey(reworded),
    status: nextStatus(current.status, incoming.status),
    dueHint: incoming.due_hint ?? current.dueHint,
    dueDate: incoming.due_hint === null ? current.dueDate : resolveDueDate(incoming.due_hint, source.occurredAt),
    ownerName: incoming.owner_name ?? current.ownerName,
    confidence: Math.max(current.confidence, incoming.confidence),
    evidenceQuote: incoming.quote ?? current.evidenceQuote,
    sourceInteractionId: source.interactionId,
    sourceUserId: source.userId ?? current.sourceUserId,
  };
}

/** The stored property names that differ; confidence and evidence are meta, not changes. */
export function itemChangedFields(before: ActionItemRecord, after: ActionItemRecord): string[] {
  const changed: string[] = [];
  if (before.normalizedText !== after.normalizedText) changed.push("text");
  if (before.status !== after.status) changed.push("status");
  if (before.dueHint !== after.dueHint) changed.push("due_hint");
  if ((before.ownerName === null ? null : ownerKey(before.ownerName)) !== (after.ownerName === null ? null : ownerKey(after.ownerName))) {
    changed.push("owner_id");
  }
  if (before.topicId !== after.topicId) changed.push("topic_id");
  return changed;
}

/**
 * The stored item after an interaction that mentioned it once or more. A version is due only
 * when a tracked field changed; a mention that changes nothing is provenance, not a version.
 */
export function mergeItemRecord(
  current: ActionItemRecord,
  incoming: readonly ExtractedActionItem[],
  source: ItemSource,
): { next: ActionItemRecord; changedFields: string[] } {
  const absorbed = incoming.reduce((record, item) => absorbItem(record, item, source), current);
  const changedFields = itemChangedFields(current, absorbed);
  return { next: { ...absorbed, versionNumber: current.versionNumber + (changedFields.length > 0 ? 1 : 0) }, changedFields };
}

const itemCodec = storedRecordCodec("ActionItem", "action_item_id", {
  action_item_id: stored.text(),
  tenant_id: stored.text(),
  account_id: stored.text(),
  text: stored.text(),
  normalized_text: stored.text(),
  status: z.enum(ACTION_ITEM_STATUSES, { error: `Must be one of ${ACTION_ITEM_STATUSES.join(", ")}` }),
  due_hint: stored.optionalText(),
  due_date: stored.optionalText(),
  owner_name: stored.optionalText(),
  topic_id: stored.text(),
  confidence: stored.number(0),
  evidence_quote: stored.optionalText(),
  version_number: stored.number(1),
  source_interaction_id: stored.text(),
  source_user_id: stored.optionalText(),
});

export const itemProperties = (record: ActionItemRecord) => itemCodec.encode(record);

/** A stored item's (or version snapshot's) properties, validated like `itemFromProperties`, under their stored names. */
export const storedItemProperties = (properties: Record<string, unknown>) => itemCodec.read(properties);

/** A stored item (or a version snapshot) back into a record; a node this system did not write throws a StoredRecordError naming its properties. */
export const itemFromProperties = (properties: Record<string, unknown>): ActionItemRecord => itemCodec.decode(properties);
