import { stored, storedRecordCodec } from "@dealgraph/errors";
import { normalizeKey } from "@dealgraph/matching";

/** A topic of an account: what related action items are about ("Security and compliance"). */
export interface TopicRecord {
  topicId: string;
  tenantId: string;
  accountId: string;
  name: string;
  normalizedName: string;
  /** The latest items filed under it, newest first; what the topic's embedding describes. */
  summary: string;
  versionNumber: number;
  sourceInteractionId: string;
}

const SUMMARY_ITEMS = 6;
const SUMMARY_CHARS = 900;
const SEPARATOR = "; ";

/**
 * The topic's summary after an interaction filed `itemTexts` under it: those first, then the
 * earlier summary's entries, without repeats, at most six entries. Deterministic, so a replay
 * and a backfill agree, and cheap: no model round trip.
 */
export function topicSummary(itemTexts: readonly string[], previous: string | null): string {
  const entries: string[] = [];
  const seen = new Set<string>();
  for (const entry of [...itemTexts, ...(previous ? previous.split(SEPARATOR) : [])]) {
    const key = normalizeKey(entry);
    if (key === "" || seen.has(key)) continue;
    seen.add(key);
    entries.push(entry.trim());
    if (entries.length === SUMMARY_ITEMS) break;
  }
  const summary = entries.join(SEPARATOR);
  return summary.length <= SUMMARY_CHARS ? summary : `${summary.slice(0, SUMMARY_CHARS - 1)}…`;
}

export function newTopicRecord(
  name: string,
  itemTexts: readonly string[],
  ids: { topicId: string; tenantId: string; accountId: string },
  interactionId: string,
): TopicRecord {
  return {
    ...ids,
    name,
    normalizedName: normalizeKey(name),
    summary: topicSummary(itemTexts, null),
    versionNumber: 1,
    sourceInteractionId: interactionId,
  };
}

/** A topic that gained items: the name stays (it is what people file under), the summary moves. */
export function mergeTopicRecord(current: TopicRecord, itemTexts: readonly string[], interactionId: string): { next: TopicRecord; changedFields: string[] } {
  const summary = topicSummary(itemTexts, current.summary);
  const changed = summary !== current.summary;
  return {
    next: {
      ...current,
      summary,
      versionNumber: current.versionNumber + (changed ? 1 : 0),
      sourceInteractionId: changed ? interactionId : current.sourceInteractionId,
    },
    changedFields: changed ? ["summary"] : [],
  };
}

const topicCodec = storedRecordCodec("Topic", "topic_id", {
  topic_id: stored.text(),
  tenant_id: stored.text(),
  account_id: stored.text(),
  name: stored.text(),
  normalized_name: stored.text(),
  summary: stored.textOr(""),
  version_number: stored.number(1),
  source_interaction_id: stored.text(),
});

export const topicProperties = (record: TopicRecord) => topicCodec.encode(record);

/** A stored topic's (or version snapshot's) properties, validated like `topicFromProperties`, under their stored names. */
export const storedTopicProperties = (properties: Record<string, unknown>) => topicCodec.read(properties);

/** A stored Topic node's properties as the record; a damaged node throws a StoredRecordError naming its properties. */
export const topicFromProperties = (properties: Record<string, unknown>): TopicRecord => topicCodec.decode(properties);
