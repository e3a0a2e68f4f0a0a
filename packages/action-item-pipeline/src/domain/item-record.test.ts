import { StoredRecordError } from "@dealgraph/errors";
import { blankActionItem, type ExtractedActionItem } from "@dealgraph/extraction";
import { itemFromProperties, itemProperties, mergeItemRecord, newItemRecord, nextStatus } from "./item-record";

const extracted = (overrides: Partial<ExtractedActionItem> = {}): ExtractedActionItem =>
  blankActionItem({ text: "Track down the service credits", owner_name: "Ada Park", topic: "Billing", ...overrides });
const ids = { actionItemId: "a1", tenantId: "t", accountId: "acct", topicId: "topic-1" };
const call = (n: number) => ({ interactionId: `i${n}`, userId: null, occurredAt: `2026-04-1${n}T10:00:00Z` });

describe("nextStatus", () => {
  it.each([
    ["open", "done", "done"],
    ["done", "open", "done"],
    ["in_progress", "open", "in_progress"],
    ["done", "in_progress", "done"],
    ["open", "in_progress", "in_progress"],
    ["cancelled", "open", "open"],
    ["done", "cancelled", "cancelled"],
  ] as const)("%s + %s → %s", (current, incoming, expected) => {
    expect(nextStatus(current, incoming)).toBe(expected);
  });
});

describe("mergeItemRecord", () => {
  const first = newItemRecord(extracted(), ids, call(1));

  it("keeps the commitment's wording when a report closes it", () => {
    const { next, changedFields } = mergeItemRecord(first, [extracted({ text: "Apply the service credits", status: "done" })], call(2));
    expect(next).toMatchObject({ text: "Track down the service credits", status: "done", versionNumber: 2, sourceInteractionId: "i2" });
    expect(changedFields).toEqual(["status"]);
  });

  it("takes a restated commitment's new wording, due date and owner", () => {
    const { next, changedFields } = mergeItemRecord(
      first,
      [extracted({ text: "Track down all service credits", due_hint: "by Monday", owner_name: "Lee Fox" })],
      call(2),
    );
    expect(next).toMatchObject({ text: "Track down all service credits", dueHint: "by Monday", ownerName: "Lee Fox", topicId: "topic-1" });
    expect(changedFields).toEqual(["text", "due_hint", "owner_id"]);
  });

  it("makes no version when nothing tracked changed", () => {
    const { next, changedFields } = mergeItemRecord(first, [extracted({ owner_name: "ada  PARK", confidence: 0.9 })], call(2));
    expect(changedFields).toEqual([]);
    expect(next.versionNumber).toBe(1);
  });

  it("reads back exactly what it stored", () => {
    expect(itemFromProperties(itemProperties(first))).toEqual(first);
    expect(() => itemFromProperties({ ...itemProperties(first), status: "lost" })).toThrow(StoredRecordError);
    expect(() => itemFromProperties({ ...itemProperties(first), status: "lost" })).toThrow(/stored ActionItem \S+ is unreadable: status: Must be one of/);
  });
});

describe("due dates", () => {
  it("reads the due hint relative to the interaction that gave it, and keeps it until a new hint", () => {
    // Call 5 is Wednesday 15 April 2026.
    const record = newItemRecord(
      extracted({ text: "Send the floor plans", due_hint: "by Friday" }),
      { actionItemId: "a", tenantId: "t", accountId: "x", topicId: "p" },
      call(5),
    );
    expect(record.dueDate).toBe("2026-04-17");
    expect(itemProperties(record).due_date).toBe("2026-04-17");
    const restated = mergeItemRecord(record, [extracted({ text: "Send the floor plans", due_hint: null })], call(6)).next;
    expect(restated.dueDate).toBe("2026-04-17");
    const moved = mergeItemRecord(record, [extracted({ text: "Send the floor plans", due_hint: "on Monday" })], call(6)).next;
    expect(moved.dueDate).toBe("2026-04-20");
  });
});
