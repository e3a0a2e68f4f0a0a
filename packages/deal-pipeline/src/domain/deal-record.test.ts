import { StoredRecordError } from "@dealgraph/errors";
import { blankDeal, emptyMeddic as meddic, unscoredOntology as ontology, type ExtractedDeal } from "@dealgraph/extraction";
import { dealProperties, mergeDealRecord, newDealRecord, nextStage, qualificationProperties, recordFromProperties, withNarrative } from "./deal-record";

const extracted = (overrides: Partial<ExtractedDeal> = {}): ExtractedDeal =>
  blankDeal({
    name: "Fleet telemetry analytics platform",
    summary: "First call.",
    amount: 420000,
    currency: "USD",
    meddic: { ...meddic(), champion: { text: "Tom Becker", confidence: 0.7, quote: "I'll push for it." } },
    confidence: 0.8,
    ...overrides,
  });
const ids = { opportunityId: "o1", dealRef: "deal_1", tenantId: "t", accountId: "a" };
const call1 = { interactionId: "i1", userId: "u1" };
const call2 = { interactionId: "i2", userId: null };

describe("nextStage", () => {
  it("moves forward only, except to a closed outcome", () => {
    expect(nextStage("proposal", "prospecting")).toBe("proposal");
    expect(nextStage("qualification", "negotiation")).toBe("negotiation");
    expect(nextStage("negotiation", "closed_lost")).toBe("closed_lost");
    expect(nextStage("closed_won", "proposal")).toBe("closed_won");
  });
});

describe("deal records", () => {
  it("starts at version 1 with completeness from the extraction", () => {
    const record = newDealRecord(extracted(), ids, call1);
    expect(record).toMatchObject({ versionNumber: 1, normalizedName: "fleet telemetry analytics platform", meddicCompleteness: 1 / 6 });
  });

  it("merges a later call: latest amount, forward stage, merged MEDDIC, changed fields, same name", () => {
    const first = newDealRecord(extracted(), ids, call1);
    const { next, changedFields } = mergeDealRecord(
      first,
      [
        extracted({
          name: "Analytics platform",
          amount: 450000,
          stage: "proposal",
          meddic: { ...meddic(), economic_buyer: { text: "Dana Whitfield", confidence: 0.8, quote: "I have budget." } },
        }),
      ],
      call2,
    );
    expect(next).toMatchObject({
      name: "Fleet telemetry analytics platform",
      amount: 450000,
      stage: "proposal",
      versionNumber: 2,
      sourceInteractionId: "i2",
      sourceUserId: "u1",
      summary: "First call.",
      meddicCompleteness: 2 / 6,
    });
    expect(next.meddic.champion?.text).toBe("Tom Becker");
    expect(changedFields).toEqual(["stage", "amount", "meddic_economic_buyer"]);
  });

  it("keeps the amount when the later call states none", () => {
    const first = newDealRecord(extracted(), ids, call1);
    const { next } = mergeDealRecord(first, [extracted({ amount: null, currency: null })], call2);
    expect([next.amount, next.currency]).toEqual([420000, "USD"]);
  });

  it("absorbs two mentions in one interaction into one version, in order", () => {
    const first = newDealRecord(extracted(), ids, call1);
    const { next, changedFields } = mergeDealRecord(first, [extracted({ amount: 430000 }), extracted({ amount: 440000, stage: "negotiation" })], call2);
    expect(next).toMatchObject({ versionNumber: 2, amount: 440000, stage: "negotiation" });
    expect(changedFields).toEqual(["stage", "amount"]);
  });

  it("takes the synthesised narrative without changing the facts", () => {
    const first = newDealRecord(extracted(), ids, call1);
    const next = withNarrative(first, { summary: "Now.", evolutionSummary: "Then and now." });
    expect(next).toEqual({ ...first, summary: "Now.", evolutionSummary: "Then and now." });
  });
});

describe("qualificationProperties", () => {
  it("flattens into fixed property names with evidence as JSON", () => {
    const properties = qualificationProperties(extracted().meddic, { ...ontology(), technical_fit: { score: 2, confidence: 0.5, evidence: "It fits." } });
    expect(properties.meddic_champion).toBe("Tom Becker");
    expect(properties.meddic_metrics).toBeNull();
    expect(properties.dim_technical_fit).toBe(2);
    expect(properties.dim_technical_fit_confidence).toBe(0.5);
    expect(properties.dim_pricing_alignment_confidence).toBeNull();
    expect(JSON.parse(String(properties.qualification_evidence_json))).toMatchObject({
      meddic: { champion: "I'll push for it." },
      ontology: { technical_fit: "It fits." },
    });
    expect(Object.keys(properties)).toHaveLength(8 * 2 + 15 * 2 + 1);
  });
});

describe("recordFromProperties", () => {
  it("reads back exactly what dealProperties stored", () => {
    const record = newDealRecord(
      extracted({
        ontology: { ...ontology(), technical_fit: { score: 2, confidence: 0.5, evidence: "It fits." } },
        close_timeframe: "this fiscal year",
      }),
      ids,
      call1,
    );
    expect(recordFromProperties(dealProperties(record))).toEqual(record);
  });

  it("refuses a node this system did not write", () => {
    expect(() => recordFromProperties({ name: "x" })).toThrow(StoredRecordError);
    expect(() => recordFromProperties({ name: "x" })).toThrow(/stored Deal is unreadable: opportunity_id: Must be a string; .*stage: Must be one of/);
    const damaged = { ...dealProperties(newDealRecord(extracted(), ids, call1)), qualification_evidence_json: "{not json" };
    expect(() => recordFromProperties(damaged)).toThrow(/qualification_evidence_json: Must be JSON/);
  });
});
