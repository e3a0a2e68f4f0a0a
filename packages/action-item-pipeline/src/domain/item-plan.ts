import type { ExtractedActionItem } from "@dealgraph/extraction";
import { foldPlacements, normalizeKey, type FoldInput, type MatchResolution, type RecordScope } from "@dealgraph/matching";
import { absorbItem, mergeItemRecord, newItemRecord, type ActionItemRecord, type ItemSource } from "./item-record";
import { mergeTopicRecord, newTopicRecord, type TopicRecord } from "./topic-record";

export interface PlannedItemCreate {
  record: ActionItemRecord;
  embedding: number[];
  indexes: number[];
}

export interface PlannedItemMerge {
  base: ActionItemRecord;
  next: ActionItemRecord;
  /** Empty when the interaction only mentioned the item: a provenance link, no version. */
  changedFields: string[];
  indexes: number[];
}

export interface PlannedTopicCreate {
  record: TopicRecord;
  embedding: number[];
}

export interface PlannedTopicMerge {
  base: TopicRecord;
  next: TopicRecord;
  changedFields: string[];
}

export interface ItemOutcome {
  index: number;
  text: string;
  action: "created" | "updated" | "mentioned";
  actionItemId: string;
  topicId: string;
  reason: "exact" | "high_similarity" | "model" | "new" | "same_envelope";
  score: number | null;
}

export interface ItemPlan {
  items: { creates: PlannedItemCreate[]; merges: PlannedItemMerge[] };
  topics: { creates: PlannedTopicCreate[]; merges: PlannedTopicMerge[] };
  outcomes: ItemOutcome[];
  failures: Array<{ index: number; message: string }>;
}

export interface ItemPlanInput extends RecordScope {
  /** The extracted items, how each resolved and its embedding; two new ones at or above `sameSimilarity` are one item. */
  items: FoldInput<ExtractedActionItem>;
  storedItems: ReadonlyMap<string, ActionItemRecord>;
  /** Distinct topic labels of the extraction (by normalised key), in order of first use. */
  topicLabels: readonly string[];
  /** What each label was matched with: `"{label}: {its items}"`, embedded. */
  topicEmbeddings: readonly number[][];
  topicResolutions: readonly MatchResolution[];
  /** Stored topics that labels resolved to, and the topics of the stored items. */
  storedTopics: ReadonlyMap<string, TopicRecord>;
  source: ItemSource;
}

const itemKey = (item: ExtractedActionItem) => normalizeKey(item.text);

/**
 * Turns per-position resolutions into one envelope's writes, taking the extracted items one by
 * one in order and never correlating by text: two identical items are two inputs, the second
 * folding into the first. Every item ends with a topic: a new item gets the topic its label
 * resolved to (a stored one, or a new one), a stored item keeps its own; each topic that gained
 * items gets a new summary, and a version when it changed.
 */
export function planItems(input: ItemPlanInput): ItemPlan {
  const failures: ItemPlan["failures"] = [];
  const outcomes: ItemOutcome[] = [];

  // Topics by label: a stored topic, or one minted now (created only if an item lands in it).
  const labelTopic = new Map<string, { topicId: string; stored: TopicRecord | null; label: string; embedding: number[] }>();
  input.topicLabels.forEach((label, index) => {
    const resolution = input.topicResolutions[index];
    const stored = resolution?.kind === "existing" ? (input.storedTopics.get(resolution.id) ?? null) : null;
    labelTopic.set(normalizeKey(label), {
      topicId: stored?.topicId ?? input.mintId(),
      stored,
      label,
      embedding: input.topicEmbeddings[index] ?? [],
    });
  });

  const create = (item: ExtractedActionItem) => {
    const topic = labelTopic.get(normalizeKey(item.topic));
    if (!topic) return `topic "${item.topic}" was not matched`;
    return newItemRecord(item, { actionItemId: input.mintId(), tenantId: input.tenantId, accountId: input.accountId, topicId: topic.topicId }, input.source);
  };
  const rules = { noun: "action item", key: itemKey, stored: input.storedItems, source: input.source, merge: mergeItemRecord, absorb: absorbItem, create };
  const folded = foldPlacements(input.items, rules);
  failures.push(...folded.failures);
  for (const step of folded.steps) {
    const record = step.kind === "merged" ? step.base : step.record;
    const text = input.items.inputs[step.index]?.text ?? "";
    const reason = step.reason === "targeted" ? "exact" : step.reason;
    const action = step.kind === "merged" ? "updated" : "created";
    outcomes.push({ index: step.index, text, action, actionItemId: record.actionItemId, topicId: record.topicId, reason, score: step.score });
  }
  const creates = folded.creates;
  const merges = new Map(folded.merges.map((merge) => [merge.id, merge]));
  const itemMerges = folded.merges.map(({ id: _id, incoming: _incoming, ...merge }) => merge);
  for (const outcome of outcomes) {
    const merge = merges.get(outcome.actionItemId);
    if (merge && merge.changedFields.length === 0) outcome.action = "mentioned";
  }

  // Each topic that items landed in, with those items' texts, newest statement first.
  const textsByTopic = new Map<string, string[]>();
  for (const record of [...creates.map((c) => c.record), ...itemMerges.map((m) => m.next)]) {
    textsByTopic.set(record.topicId, [...(textsByTopic.get(record.topicId) ?? []), record.text]);
  }
  const topicCreates: PlannedTopicCreate[] = [];
  const topicMerges: PlannedTopicMerge[] = [];
  const unreadableTopics = new Set<string>();
  for (const [topicId, texts] of textsByTopic) {
    const stored = input.storedTopics.get(topicId);
    if (stored) {
      const { next, changedFields } = mergeTopicRecord(stored, texts, input.source.interactionId);
      topicMerges.push({ base: stored, next, changedFields });
      continue;
    }
    const minted = [...labelTopic.values()].find((t) => t.topicId === topicId && t.stored === null);
    if (!minted) {
      unreadableTopics.add(topicId);
      for (const outcome of outcomes.filter((o) => o.topicId === topicId)) {
        failures.push({ index: outcome.index, message: `topic ${topicId} of the item could not be read` });
      }
      continue;
    }
    topicCreates.push({
      record: newTopicRecord(minted.label, texts, { topicId, tenantId: input.tenantId, accountId: input.accountId }, input.source.interactionId),
      embedding: minted.embedding,
    });
  }

  const failed = new Set(failures.map((f) => f.index));
  return {
    items: {
      creates: creates.filter((c) => !unreadableTopics.has(c.record.topicId)),
      merges: itemMerges.filter((m) => !unreadableTopics.has(m.next.topicId)),
    },
    topics: { creates: topicCreates, merges: topicMerges },
    outcomes: outcomes.filter((o) => !failed.has(o.index)),
    failures,
  };
}
