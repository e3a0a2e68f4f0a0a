import { dealTimeline, sourceOfField, sourceOfScore, stateAsOf, type OpportunityRow, type VersionRow } from "./deal-timeline";

const version = (n: number, from: string, until: string, over: Record<string, unknown> = {}, change: Partial<VersionRow> = {}): VersionRow => ({
  version_number: n,
  name: "Fleet analytics",
  valid_from: new Date(from),
  valid_until: new Date(until),
  changed_fields: [],
  change_summary: null,
  change_source_interaction_id: null,
  snapshot: {
    name: "Fleet analytics",
    stage: "prospecting",
    amount: null,
    meddic_completeness: 0.2,
    ontology_completeness: 0.1,
    source_interaction_id: `call-${n}`,
    qualification_evidence_json: JSON.stringify({ meddic: { economic_buyer: "I sign off on this." }, ontology: {} }),
    meddic_economic_buyer: "Dana Whitfield, VP Operations",
    ...over,
  },
  ...change,
});

const current: OpportunityRow = {
  name: "Fleet analytics",
  created_at: new Date("2026-03-02T15:00:00Z"),
  ai_workflow_metadata: {
    ai_stage: "negotiation",
    ai_amount: 120000,
    ai_currency: "USD",
    close_timeframe: "end of Q2",
    valid_from: "2026-04-06T15:00:00Z",
    qualification_quotes: { economic_buyer: "I sign off on this." },
  },
  ontology_scores_json: { pricing_alignment: { score: 2, evidence: "That fits our budget." } },
  latest_ai_summary: "Fleet analytics for 400 trucks.",
  meddic_paper_process: null,
  meddic_competition: null,
  meddic_completeness: 0.67,
  ontology_completeness: 0.5,
  source_interaction_id: "call-3",
  extraction_version: 3,
};
(current as unknown as Record<string, unknown>).meddic_economic_buyer = "Dana Whitfield, VP Operations";

const versions = [
  version(1, "2026-03-02T15:00:00Z", "2026-03-16T15:00:00Z"),
  version(
    2,
    "2026-03-16T15:00:00Z",
    "2026-04-06T15:00:00Z",
    { stage: "proposal", amount: 90000 },
    { changed_fields: ["stage", "amount"], change_summary: "Stage prospecting → proposal" },
  ),
];

describe("dealTimeline", () => {
  const timeline = dealTimeline(current, versions);

  it("orders the versions and ends with the current row, each saying what its interaction changed", () => {
    expect(timeline.map((s) => [s.versionNumber, s.stage, s.amount])).toEqual([
      [1, "prospecting", null],
      [2, "proposal", 90000],
      [3, "negotiation", 120000],
    ]);
    expect(timeline[0]!.changedFields).toEqual([]);
    expect(timeline[1]!.changeSummary).toBeNull();
    expect(timeline[2]).toMatchObject({ changedFields: ["stage", "amount"], changeSummary: "Stage prospecting → proposal", validUntil: null });
    expect(timeline[2]!.ontology.pricing_alignment).toEqual({ score: 2, evidence: "That fits our budget." });
  });

  it("answers the state valid at a time, and none before the deal was first discussed", () => {
    expect(stateAsOf(timeline, "2026-03-10T23:59:59Z")?.stage).toBe("prospecting");
    expect(stateAsOf(timeline, "2026-03-16T15:00:00Z")?.stage).toBe("proposal");
    expect(stateAsOf(timeline, "2026-05-01T00:00:00Z")?.versionNumber).toBe(3);
    expect(stateAsOf(timeline, "2026-03-01T00:00:00Z")).toBeNull();
  });

  it("traces a field's evidence to the interaction where it took its value", () => {
    expect(sourceOfField(timeline, timeline[2]!, "economic_buyer")).toBe("call-1");
    expect(sourceOfField(timeline, timeline[2]!, "champion")).toBeNull();
    // The current state scored pricing alignment first (the versions did not): its own interaction.
    expect(sourceOfScore(timeline, timeline[2]!, "pricing_alignment")).toBe("call-3");
    expect(sourceOfScore(timeline, timeline[2]!, "technical_fit")).toBeNull();
  });
});
