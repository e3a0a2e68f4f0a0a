import { emptyMeddic, unscoredOntology } from "@dealgraph/extraction";
import { changedFields, type DealState } from "./deal-changes";

const state = (overrides: Partial<DealState> = {}): DealState => ({
  name: "Fleet platform",
  stage: "qualification",
  amount: 420000,
  currency: "USD",
  closeTimeframe: null,
  summary: "Northwind considers the fleet platform.",
  meddic: emptyMeddic(),
  ontology: unscoredOntology(),
  ...overrides,
});

describe("changedFields", () => {
  it("names changed properties by their stored names", () => {
    const before = state();
    const after = state({
      stage: "proposal",
      amount: 450000,
      meddic: { ...before.meddic, economic_buyer: { text: "Dana Whitfield", confidence: 0.8, quote: "q" } },
      ontology: { ...before.ontology, pricing_alignment: { score: 3, confidence: 0.6, evidence: "e" } },
    });
    expect(changedFields(before, after)).toEqual(["stage", "amount", "meddic_economic_buyer", "dim_pricing_alignment"]);
  });

  it("ignores narrative and meta changes", () => {
    const before = state({ meddic: { ...state().meddic, champion: { text: "Tom", confidence: 0.5, quote: "a" } } });
    const after = state({
      summary: "A completely different narrative.",
      meddic: { ...state().meddic, champion: { text: "Tom", confidence: 0.9, quote: "b" } },
    });
    expect(changedFields(before, after)).toEqual([]);
  });
});
