import { blankActionItem, type ExtractedActionItem } from "@dealgraph/extraction";
import type { MatchResolution } from "@dealgraph/matching";
import { planItems, type ItemPlanInput } from "./item-plan";
import { newItemRecord } from "./item-record";
import { newTopicRecord, topicSummary } from "./topic-record";

const item = (text: string, overrides: Partial<ExtractedActionItem> = {}): ExtractedActionItem =>
  blankActionItem({ text, owner_name: "Ada Park", topic: "Billing", ...overrides });
const axis = (i: number): number[] => [0, 1, 2, 3].map((d) => (d === i ? 1 : 0));
const storedTopic = newTopicRecord("Billing", ["Send the invoice"], { topicId: "topic-billing", tenantId: "t", accountId: "a" }, "i0");
const storedItem = newItemRecord(
  item("Send the invoice"),
  { actionItemId: "item-1", tenantId: "t", accountId: "a", topicId: "topic-billing" },
  { interactionId: "i0", userId: null, occurredAt: null },
);

function input(items: ExtractedActionItem[], itemResolutions: MatchResolution[], labels: string[], topicResolutions: MatchResolution[]): ItemPlanInput {
  let n = 0;
  return {
    items: { inputs: items, resolutions: itemResolutions, embeddings: items.map((_, i) => axis(i % 4)), sameSimilarity: 0.9 },
    storedItems: new Map([["item-1", storedItem]]),
    topicLabels: labels,
    topicEmbeddings: labels.map((_, i) => axis(i % 4)),
    topicResolutions,
    storedTopics: new Map([["topic-billing", storedTopic]]),
    tenantId: "t",
    accountId: "a",
    source: { interactionId: "i1", userId: null, occurredAt: null },
    mintId: () => `new-${(n += 1)}`,
  };
}

describe("topicSummary", () => {
  it("puts the newest items first, without repeats, at most six", () => {
    expect(topicSummary(["B", "a"], "A; C")).toBe("B; a; C");
    expect(topicSummary(["1", "2", "3", "4", "5", "6", "7"], null).split("; ")).toHaveLength(6);
  });
});

describe("planItems", () => {
  it("files a new item under its label's stored topic and updates that topic's summary", () => {
    const plan = planItems(
      input(
        [item("Apply the credits")],
        [{ kind: "new", bestScore: 0.3 }],
        ["Billing"],
        [{ kind: "existing", id: "topic-billing", reason: "exact", score: 1 }],
      ),
    );
    expect(plan.items.creates.map((c) => c.record.topicId)).toEqual(["topic-billing"]);
    expect(plan.topics.creates).toEqual([]);
    expect(plan.topics.merges).toEqual([
      expect.objectContaining({
        changedFields: ["summary"],
        next: expect.objectContaining({ summary: "Apply the credits; Send the invoice", versionNumber: 2 }),
      }),
    ]);
  });

  it("creates a topic for a new label only when an item lands in it", () => {
    const plan = planItems(
      input(
        [item("Send the invoice", { status: "done", topic: "Invoices" }), item("Book the kickoff", { topic: "Meetings" })],
        [
          { kind: "existing", id: "item-1", reason: "exact", score: 1 },
          { kind: "new", bestScore: null },
        ],
        ["Invoices", "Meetings"],
        [
          { kind: "new", bestScore: null },
          { kind: "new", bestScore: null },
        ],
      ),
    );
    // The stored item keeps its topic, so "Invoices" stays empty and is not created.
    expect(plan.topics.creates.map((c) => c.record.name)).toEqual(["Meetings"]);
    expect(plan.topics.merges.map((m) => m.base.topicId)).toEqual(["topic-billing"]);
    expect(plan.items.merges).toEqual([expect.objectContaining({ changedFields: ["status"] })]);
  });

  it("folds a repeated item into the first, keyed by position", () => {
    const plan = planItems(
      input(
        [item("Book the kickoff"), item("Book the kickoff")],
        [
          { kind: "new", bestScore: null },
          { kind: "new", bestScore: null },
        ],
        ["Billing"],
        [{ kind: "new", bestScore: null }],
      ),
    );
    expect(plan.items.creates).toHaveLength(1);
    expect(plan.outcomes.map((o) => [o.index, o.reason])).toEqual([
      [0, "new"],
      [1, "same_envelope"],
    ]);
  });

  it("marks an unchanged mention as such, and fails only unreadable matches", () => {
    const plan = planItems(
      input(
        [item("Send the invoice"), item("Other thing")],
        [
          { kind: "existing", id: "item-1", reason: "exact", score: 1 },
          { kind: "existing", id: "gone", reason: "model", score: 0.8 },
        ],
        ["Billing"],
        [{ kind: "existing", id: "topic-billing", reason: "exact", score: 1 }],
      ),
    );
    expect(plan.outcomes.map((o) => [o.index, o.action])).toEqual([[0, "mentioned"]]);
    expect(plan.failures).toEqual([{ index: 1, message: "matched action item gone could not be read" }]);
  });
});
