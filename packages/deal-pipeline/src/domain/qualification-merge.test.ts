import { emptyMeddic as empty, unscoredOntology as unscored } from "@dealgraph/extraction";
import { meddicCompleteness, mergeMeddic, mergeOntology, ontologyCompleteness } from "./qualification-merge";

const ev = (text: string, confidence = 0.6) => ({ text, confidence, quote: text });

describe("mergeMeddic", () => {
  it("lets the latest call replace metrics, economic buyer and champion", () => {
    const merged = mergeMeddic(
      { ...empty(), economic_buyer: ev("Dana Whitfield"), champion: ev("Tom Becker"), metrics: ev("Cut fees by half.") },
      { ...empty(), economic_buyer: ev("Raj Patel") },
    );
    expect(merged.economic_buyer?.text).toBe("Raj Patel");
    expect(merged.champion?.text).toBe("Tom Becker");
    expect(merged.metrics?.text).toBe("Cut fees by half.");
  });

  it("adds new decision criteria, process and pain to what earlier calls said, without repeating", () => {
    const merged = mergeMeddic(
      { ...empty(), decision_criteria: ev("It has to handle peak volume."), identified_pain: ev("ETAs are wrong.", 0.8) },
      { ...empty(), decision_criteria: ev("It has to handle peak volume. It must integrate with SAP.", 0.7), identified_pain: ev("ETAs are wrong.", 0.5) },
    );
    expect(merged.decision_criteria).toEqual({
      text: "It has to handle peak volume. It must integrate with SAP.",
      confidence: 0.7,
      quote: "It has to handle peak volume.",
    });
    expect(merged.identified_pain?.text).toBe("ETAs are wrong.");
    expect(merged.identified_pain?.confidence).toBe(0.8);
  });

  it("fills an empty field from the new call", () => {
    expect(mergeMeddic(empty(), { ...empty(), decision_process: ev("Steering committee decides.") }).decision_process?.text).toBe(
      "Steering committee decides.",
    );
  });
});

describe("mergeOntology and completeness", () => {
  it("replaces scored dimensions and keeps the rest", () => {
    const current = { ...unscored(), technical_fit: { score: 2, confidence: 0.5, evidence: "a" } };
    const incoming = { ...unscored(), pricing_alignment: { score: 3, confidence: 0.6, evidence: "b" } };
    const merged = mergeOntology(current, incoming);
    expect(merged.technical_fit.score).toBe(2);
    expect(merged.pricing_alignment.score).toBe(3);
    expect(ontologyCompleteness(merged)).toBeCloseTo(2 / 15);
  });

  it("counts the six MEDDIC letters only", () => {
    expect(meddicCompleteness({ ...empty(), metrics: ev("x"), champion: ev("y"), competition: ev("z") })).toBeCloseTo(2 / 6);
  });
});
