import { blankDeal, type ExtractedDeal } from "@dealgraph/extraction";
import type { MatchResolution } from "@dealgraph/matching";
import { planDeals, type PlanInput } from "./deal-plan";
import { newDealRecord } from "./deal-record";

const deal = (name: string, overrides: Partial<ExtractedDeal> = {}): ExtractedDeal => blankDeal({ name, summary: `${name} summary.`, ...overrides });
const axis = (i: number): number[] => [0, 1, 2, 3].map((d) => (d === i ? 1 : 0));
const stored = newDealRecord(
  deal("Stored plan"),
  { opportunityId: "s1", dealRef: "deal_s1", tenantId: "t", accountId: "a" },
  { interactionId: "i0", userId: null },
);

function input(deals: ExtractedDeal[], resolutions: MatchResolution[], embeddings = deals.map((_, i) => axis(i % 4))): PlanInput {
  let n = 0;
  return {
    matches: { inputs: deals, resolutions, embeddings, sameSimilarity: 0.9 },
    stored: new Map([["s1", stored]]),
    tenantId: "t",
    accountId: "a",
    source: { interactionId: "i1", userId: "u" },
    mintId: () => `new-${(n += 1)}`,
    dealRef: (id) => `ref-${id}`,
  };
}

describe("planDeals", () => {
  it("creates, merges and reports every position", () => {
    const plan = planDeals(
      input(
        [deal("Fresh plan"), deal("Stored plan", { amount: 10, currency: "USD" })],
        [
          { kind: "new", bestScore: 0.2 },
          { kind: "existing", id: "s1", reason: "exact", score: 1 },
        ],
      ),
    );
    expect(plan.creates.map((c) => [c.record.opportunityId, c.record.dealRef, c.indexes])).toEqual([["new-1", "ref-new-1", [0]]]);
    expect(plan.merges.map((m) => [m.base.opportunityId, m.next.versionNumber, m.next.amount, m.changedFields, m.indexes])).toEqual([
      ["s1", 2, 10, ["amount", "currency"], [1]],
    ]);
    expect(plan.outcomes.map((o) => [o.index, o.action, o.reason])).toEqual([
      [0, "created", "new"],
      [1, "merged", "exact"],
    ]);
  });

  it("folds a repeat of a new deal (same name or near-identical embedding) into the first", () => {
    const plan = planDeals(
      input(
        [deal("Fresh plan"), deal("The fresh plan!", { amount: 5, currency: "EUR" }), deal("Other words")],
        [
          { kind: "new", bestScore: null },
          { kind: "new", bestScore: null },
          { kind: "new", bestScore: null },
        ],
        [axis(0), axis(1), [0.95, Math.sqrt(1 - 0.95 ** 2), 0, 0]],
      ),
    );
    expect(plan.creates).toHaveLength(1);
    expect(plan.creates[0]?.indexes).toEqual([0, 1, 2]);
    expect(plan.creates[0]?.record).toMatchObject({ name: "Fresh plan", amount: 5, versionNumber: 1 });
    expect(plan.outcomes.map((o) => [o.index, o.opportunityId, o.reason])).toEqual([
      [0, "new-1", "new"],
      [1, "new-1", "same_envelope"],
      [2, "new-1", "same_envelope"],
    ]);
  });

  it("merges two mentions of one stored deal into one version", () => {
    const plan = planDeals(
      input(
        [deal("Stored plan", { stage: "proposal" }), deal("Stored plan", { stage: "negotiation" })],
        [
          { kind: "existing", id: "s1", reason: "exact", score: 1 },
          { kind: "existing", id: "s1", reason: "high_similarity", score: 0.95 },
        ],
      ),
    );
    expect(plan.merges).toHaveLength(1);
    expect(plan.merges[0]).toMatchObject({ indexes: [0, 1], next: { versionNumber: 2, stage: "negotiation" } });
    expect(plan.outcomes[1]?.reason).toBe("same_envelope");
  });

  it("fails only the deals whose resolution failed or whose target is unknown", () => {
    const plan = planDeals(
      input(
        [deal("A"), deal("B"), deal("C")],
        [
          { kind: "failed", message: "unreadable" },
          { kind: "existing", id: "gone", reason: "model", score: 0.8 },
          { kind: "new", bestScore: null },
        ],
      ),
    );
    expect(plan.failures).toEqual([
      { index: 0, message: "unreadable" },
      { index: 1, message: "matched deal gone could not be read" },
    ]);
    expect(plan.creates.map((c) => c.indexes)).toEqual([[2]]);
  });
});
