import { blankDeal, emptyMeddic, unscoredOntology, type ExtractedDeal } from "@dealgraph/extraction";
import { describeChanges } from "./deal-narrative";
import { mergeDealRecord, newDealRecord } from "./deal-record";

const deal = (overrides: Partial<ExtractedDeal>): ExtractedDeal => blankDeal({ name: "Fleet platform", amount: 420000, currency: "USD", ...overrides });

describe("describeChanges", () => {
  it("puts every changed field in words, from the merged facts", () => {
    const before = newDealRecord(deal({}), { opportunityId: "o", dealRef: "r", tenantId: "t", accountId: "a" }, { interactionId: "i1", userId: null });
    const { next, changedFields } = mergeDealRecord(
      before,
      [
        deal({
          stage: "proposal",
          amount: 450000,
          meddic: { ...emptyMeddic(), economic_buyer: { text: "Dana Whitfield", confidence: 0.8, quote: "q" } },
          ontology: { ...unscoredOntology(), technical_fit: { score: 3, confidence: 0.7, evidence: "e" } },
        }),
      ],
      { interactionId: "i2", userId: null },
    );
    expect(describeChanges(before, next, changedFields)).toEqual([
      "stage: qualification → proposal",
      "amount: 420,000 USD → 450,000 USD",
      'economic buyer: "Dana Whitfield"',
      "technical fit: unscored → 3",
    ]);
  });
});
