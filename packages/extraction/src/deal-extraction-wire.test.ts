import { dealExtractionFromWire, dealExtractionToWire, dealExtractionWireSchema } from "./deal-extraction-wire";
import { blankDeal, unscoredOntology } from "./empty-qualification";
import { dealExtractionSchema } from "./extraction-schemas";

const { ontology: _ontology, ...dealFields } = blankDeal({ name: "Fleet telematics" });
const wireDeal = (ontology: unknown[]) => dealExtractionWireSchema.parse({ deals: [{ ...dealFields, ontology }] });

describe("the extract_deals wire form", () => {
  it("leaves the dimensions a model did not list unscored", () => {
    const decoded = dealExtractionFromWire(wireDeal([{ dimension: "pricing_alignment", score: 2, confidence: 0.8, evidence: "the price works" }]));
    expect(decoded.deals[0]?.ontology).toEqual({
      ...unscoredOntology(),
      pricing_alignment: { score: 2, confidence: 0.8, evidence: "the price works" },
    });
    expect(dealExtractionSchema.safeParse(decoded).success).toBe(true);
  });

  it("keeps the best-supported entry of a dimension listed twice, in either order", () => {
    const scored = { dimension: "technical_fit", score: 3, confidence: 0.6, evidence: "it fits" };
    const unscored = { dimension: "technical_fit", score: null, confidence: 0.9, evidence: null };
    const surer = { ...scored, score: 1, confidence: 0.7, evidence: "mostly" };
    for (const entries of [
      [scored, unscored],
      [unscored, scored],
    ]) {
      expect(dealExtractionFromWire(wireDeal(entries)).deals[0]?.ontology.technical_fit).toEqual({ score: 3, confidence: 0.6, evidence: "it fits" });
    }
    expect(dealExtractionFromWire(wireDeal([scored, surer])).deals[0]?.ontology.technical_fit.score).toBe(1);
  });

  it("refuses a dimension outside the ontology, naming where", () => {
    const parsed = dealExtractionWireSchema.safeParse({
      deals: [{ ...dealFields, ontology: [{ dimension: "vibes", score: 3, confidence: 1, evidence: null }] }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["deals", 0, "ontology", 0, "dimension"]);
  });

  it("turns a domain extraction into the wire form and back unchanged", () => {
    const extraction = { deals: [blankDeal({ name: "Cold-chain monitoring", amount: 90_000, currency: "USD" })] };
    extraction.deals[0]!.ontology.responsiveness = { score: 1, confidence: 0.4, evidence: "slow replies" };
    expect(dealExtractionFromWire(dealExtractionWireSchema.parse(dealExtractionToWire(extraction)))).toEqual(extraction);
  });
});
