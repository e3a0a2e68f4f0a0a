import { blankDeal, type ExtractedDeal } from "@dealgraph/extraction";
import type { MatchDecision, MatchResolution } from "@dealgraph/matching";
import { planDeals } from "./deal-plan";
import { newDealRecord, type DealRecord } from "./deal-record";
import { batchesByDeal, mergeKey, outlookDealIds, outlookOfDecisions, possibleMerges, targetedOutlook } from "./possible-merges";

const deal = (name: string, overrides: Partial<ExtractedDeal> = {}): ExtractedDeal => blankDeal({ name, summary: `${name} summary.`, ...overrides });
const storedDeal = (id: string): DealRecord =>
  newDealRecord(deal(`Stored ${id}`), { opportunityId: id, dealRef: `deal_${id}`, tenantId: "t", accountId: "a" }, { interactionId: "i0", userId: null });
const source = { interactionId: "i1", userId: "u" };
const merge = (id: string): MatchDecision => ({ kind: "merge", id, score: 0.95, reason: "high_similarity" });
const ask = (...ids: string[]): MatchDecision => ({ kind: "ask", candidates: ids.map((id, i) => ({ id, score: 0.85 - i / 100 })) });
const fresh: MatchDecision = { kind: "new", bestScore: 0.1 };

/** Every resolution the model could give for the decisions: each asked deal goes new or to one of its candidates. */
function everyAnswer(decisions: readonly MatchDecision[]): MatchResolution[][] {
  return decisions.reduce<MatchResolution[][]>(
    (answers, decision) => {
      const options: MatchResolution[] =
        decision.kind === "merge"
          ? [{ kind: "existing", id: decision.id, reason: decision.reason, score: decision.score }]
          : decision.kind === "new"
            ? [{ kind: "new", bestScore: decision.bestScore }]
            : [
                { kind: "new", bestScore: null },
                ...decision.candidates.map((c): MatchResolution => ({ kind: "existing", id: c.id, reason: "model", score: c.score })),
              ];
      return answers.flatMap((answer) => options.map((option) => [...answer, option]));
    },
    [[]],
  );
}

describe("possibleMerges", () => {
  const stored = new Map(["s1", "s2", "s3"].map((id) => [id, storedDeal(id)]));

  it("prepares exactly the certain merges when nothing is in the middle band", () => {
    const deals = [deal("A", { amount: 5, currency: "EUR" }), deal("B"), deal("C")];
    const outlook = outlookOfDecisions([merge("s1"), fresh, merge("s1")]);
    const merges = possibleMerges({ deals, outlook, stored, source });
    expect(merges.map(mergeKey)).toEqual(["s1:0,2"]);
    expect(merges[0]?.next).toMatchObject({ amount: 5, versionNumber: 2 });
  });

  it("prepares a merge per candidate, and none at all when the asked deal has no readable candidate", () => {
    const deals = [deal("A"), deal("B")];
    const outlook = outlookOfDecisions([ask("s2", "s3"), ask("missing")]);
    expect(outlookDealIds(outlook)).toEqual(["s2", "s3", "missing"]);
    expect(possibleMerges({ deals, outlook, stored, source }).map(mergeKey).sort()).toEqual(["s2:0", "s3:0"]);
  });

  it("covers every merge planDeals can produce, whatever the model answers", () => {
    const deals = [deal("A", { amount: 1, currency: "USD" }), deal("B", { stage: "proposal" }), deal("C"), deal("D"), deal("E")];
    const decisions = [merge("s1"), ask("s1", "s2"), ask("s2", "s1", "s3"), fresh, ask("s1")];
    const prepared = new Map(possibleMerges({ deals, outlook: outlookOfDecisions(decisions), stored, source }).map((m) => [mergeKey(m), m]));
    const answers = everyAnswer(decisions);
    // Deal 1: new, s1 or s2; deal 2: new, s2, s1 or s3; deal 4: new or s1.
    expect(answers).toHaveLength(3 * 4 * 2);
    for (const resolutions of answers) {
      let n = 0;
      const plan = planDeals({
        matches: { inputs: deals, resolutions, embeddings: deals.map((_, i) => [0, 1, 2, 3, 4].map((d) => (d === i ? 1 : 0))), sameSimilarity: 0.9 },
        stored,
        tenantId: "t",
        accountId: "a",
        source,
        mintId: () => `new-${(n += 1)}`,
        dealRef: (id) => `ref-${id}`,
      });
      for (const planned of plan.merges) {
        const foreseen = prepared.get(mergeKey(planned));
        expect(foreseen).toBeDefined();
        // The same facts, so the narrative written for it describes what is written.
        expect(foreseen?.next).toEqual(planned.next);
        expect(foreseen?.changedFields).toEqual(planned.changedFields);
      }
    }
  });

  it("updates the named deal with every extracted deal of a targeted envelope", () => {
    const deals = [deal("A"), deal("B")];
    const merges = possibleMerges({ deals, outlook: targetedOutlook(2, "s3"), stored, source });
    expect(merges.map(mergeKey)).toEqual(["s3:0,1"]);
  });

  it("stops enumerating subsets past four middle-band deals offered the same stored deal", () => {
    const deals = Array.from({ length: 6 }, (_, i) => deal(`Deal ${i}`));
    const merges = possibleMerges({ deals, outlook: outlookOfDecisions(deals.map(() => ask("s1"))), stored, source });
    // Each alone and all together, not 2^6 - 1.
    expect(merges.map(mergeKey)).toEqual(["s1:0", "s1:1", "s1:2", "s1:3", "s1:4", "s1:5", "s1:0,1,2,3,4,5"]);
  });
});

describe("batchesByDeal", () => {
  it("never names one stored deal twice in a batch", () => {
    const stored = new Map(["s1", "s2"].map((id) => [id, storedDeal(id)]));
    const deals = [deal("A"), deal("B"), deal("C")];
    const merges = possibleMerges({ deals, outlook: outlookOfDecisions([ask("s1", "s2"), ask("s1"), merge("s2")]), stored, source });
    const batches = batchesByDeal(merges);
    expect(batches.flat()).toHaveLength(merges.length);
    for (const batch of batches) {
      const ids = batch.map((m) => m.base.opportunityId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // s1 alone from deal 0, from deal 1, from both; s2 from deal 2 with or without deal 0.
    expect(batches.length).toBe(3);
  });
});
