import { blankDeal, emptyMeddic, unscoredOntology } from "@dealgraph/extraction";
import { PROTECTED_OPPORTUNITY_COLUMNS } from "@dealgraph/store";
import { dealProperties, newDealRecord } from "../domain/deal-record";
import { dealVersionRow, opportunityRow } from "./deal-rows";

const record = newDealRecord(
  blankDeal({
    name: "Fleet platform",
    summary: "Summary.",
    stage: "proposal",
    amount: 420000,
    currency: "USD",
    close_timeframe: "Q3",
    meddic: { ...emptyMeddic(), champion: { text: "Tom Becker", confidence: 0.7, quote: "I'll push." } },
    ontology: { ...unscoredOntology(), technical_fit: { score: 2, confidence: 0.6, evidence: "It fits." } },
    confidence: 0.8,
  }),
  { opportunityId: "01900000-0000-7000-8000-000000000001", dealRef: "deal_8000000000000001", tenantId: "t", accountId: "acct" },
  { interactionId: "i1", userId: "u1" },
);
const properties = { ...dealProperties(record), valid_from: "2026-03-02T15:00:00Z", updated_at: "2026-03-02T15:00:01Z" };

describe("opportunityRow", () => {
  it("writes only system columns; stage and amount go to the AI metadata, name/account/currency are insert-only", () => {
    const row = opportunityRow({ properties, embedding: [1, 0], embeddingCurrent: [0, 1], versions: [], links: [] });
    for (const column of [...PROTECTED_OPPORTUNITY_COLUMNS, "name", "account_id", "currency"]) expect(Object.keys(row.write)).not.toContain(column);
    expect(row.insertOnly).toEqual({ name: "Fleet platform", account_id: "acct", currency: "USD" });
    expect(row.write).toMatchObject({
      graph_opportunity_id: record.opportunityId,
      meddic_champion: "Tom Becker",
      dim_technical_fit: 2,
      dim_technical_fit_confidence: 0.6,
      dim_pricing_alignment_confidence: null,
      extraction_version: 1,
      qualification_status: "early",
      source_user_id: "u1",
      ai_updated_at: "2026-03-02T15:00:01Z",
    });
    expect(JSON.parse(String(row.write.ai_workflow_metadata))).toMatchObject({ ai_stage: "proposal", ai_amount: 420000, close_timeframe: "Q3" });
    expect(JSON.parse(String(row.write.ontology_scores_json)).technical_fit).toEqual({ group: "technical", score: 2, confidence: 0.6, evidence: "It fits." });
  });
});

describe("dealVersionRow", () => {
  it("maps a snapshot node, keeping its validity and changed fields", () => {
    const row = dealVersionRow({
      ...properties,
      version_id: "v1",
      valid_until: "2026-03-16T15:00:00Z",
      changed_fields: ["stage"],
      change_summary: "stage moved",
      change_source_interaction_id: "i2",
    });
    expect(row).toMatchObject({
      version_id: "v1",
      opportunity_id: record.opportunityId,
      version_number: 1,
      stage: "proposal",
      amount: 420000,
      meddic_champion: "Tom Becker",
      valid_from: "2026-03-02T15:00:00Z",
      valid_until: "2026-03-16T15:00:00Z",
      changed_fields: ["stage"],
    });
  });

  it("refuses a snapshot without valid_from", () => {
    expect(() => dealVersionRow({ ...dealProperties(record), version_id: "v1" })).toThrow(/valid_from/);
  });
});
