import type { ActionItemRecord } from "./item-record";
import type { TopicRecord } from "./topic-record";

const quoted = (text: string | null) => (text === null ? "none" : `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`);

/** A version's change summary in words (`status: open → done`), from the merged facts. */
export function describeItemChanges(before: ActionItemRecord, after: ActionItemRecord, changedFields: readonly string[]): string {
  const changed = new Set(changedFields);
  const lines: string[] = [];
  if (changed.has("status")) lines.push(`status: ${before.status} → ${after.status}`);
  if (changed.has("due_hint")) lines.push(`due: ${quoted(before.dueHint)} → ${quoted(after.dueHint)}`);
  if (changed.has("owner_id")) lines.push(`owner: ${before.ownerName ?? "nobody"} → ${after.ownerName ?? "nobody"}`);
  if (changed.has("text")) lines.push(`reworded: ${quoted(after.text)}`);
  return lines.length === 0 ? "Mentioned again; nothing changed." : `${lines.join("; ")}.`;
}

/** What a topic gained: the entries of its new summary that the old one lacked. */
export function describeTopicChanges(before: TopicRecord, after: TopicRecord): string {
  const old = new Set(before.summary.split("; "));
  const gained = after.summary.split("; ").filter((entry) => entry !== "" && !old.has(entry));
  return gained.length === 0 ? "Mentioned again; nothing changed." : `New items: ${gained.join("; ")}.`;
}
