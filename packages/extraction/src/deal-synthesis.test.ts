import { SYNTHESIS_LIMITS, deterministicSynthesis, guardDealSyntheses, type DealSynthesisRequest } from "./deal-synthesis";

const request = (overrides: Partial<DealSynthesisRequest> = {}): DealSynthesisRequest => ({
  deal_id: "d1",
  name: "Fleet platform",
  stored_summary: "First call summary.",
  stored_evolution_summary: null,
  new_summaries: ["Second call summary."],
  changes: ["stage: qualification → proposal"],
  occurred_at: "2026-03-16T15:00:00Z",
  ...overrides,
});

describe("deterministicSynthesis", () => {
  it("takes the latest summary and extends the evolution narrative by one dated sentence", () => {
    const first = deterministicSynthesis(request());
    expect(first).toEqual({
      deal_id: "d1",
      summary: "Second call summary.",
      change_summary: "stage: qualification → proposal.",
      evolution_summary: "2026-03-16: stage: qualification → proposal.",
    });
    const second = deterministicSynthesis(request({ stored_evolution_summary: first.evolution_summary, changes: [], occurred_at: "2026-04-06T15:00:00Z" }));
    expect(second.evolution_summary).toBe(`${first.evolution_summary} 2026-04-06: Discussed again; no tracked field changed.`);
  });

  it("drops the oldest part of an evolution narrative that grew too long, never the latest change", () => {
    const long = "x".repeat(SYNTHESIS_LIMITS.evolutionChars);
    const { evolution_summary } = deterministicSynthesis(request({ stored_evolution_summary: long }));
    expect(evolution_summary.length).toBe(SYNTHESIS_LIMITS.evolutionChars);
    expect(evolution_summary.startsWith("…")).toBe(true);
    expect(evolution_summary.endsWith("stage: qualification → proposal.")).toBe(true);
  });
});

describe("guardDealSyntheses", () => {
  it("keeps answers in request order, whatever order the model used", () => {
    const requests = [request(), request({ deal_id: "d2" })];
    const { value, warnings } = guardDealSyntheses(requests, {
      updates: [
        { deal_id: "d2", summary: "Two.", change_summary: "c2", evolution_summary: "e2" },
        { deal_id: "d1", summary: "One.", change_summary: "c1", evolution_summary: "e1" },
      ],
    });
    expect(value.map((v) => [v.deal_id, v.summary])).toEqual([
      ["d1", "One."],
      ["d2", "Two."],
    ]);
    expect(warnings).toEqual([]);
  });

  it("falls back for a missing or empty answer and ignores a foreign or duplicate one, with warnings", () => {
    const requests = [request(), request({ deal_id: "d2" }), request({ deal_id: "d3" })];
    const { value, warnings } = guardDealSyntheses(requests, {
      updates: [
        { deal_id: "d1", summary: "  ", change_summary: "", evolution_summary: "" },
        { deal_id: "d3", summary: "Three.", change_summary: "", evolution_summary: "" },
        { deal_id: "d3", summary: "Again.", change_summary: "", evolution_summary: "" },
        { deal_id: "other-tenant-deal", summary: "Injected.", change_summary: "", evolution_summary: "" },
      ],
    });
    expect(value.map((v) => v.summary)).toEqual(["Second call summary.", "Second call summary.", "Three."]);
    expect(value[2]?.change_summary).toBe("stage: qualification → proposal.");
    expect(warnings).toHaveLength(4);
    expect(warnings.join("\n")).toContain("other-tenant-deal");
  });

  it("caps lengths", () => {
    const { value } = guardDealSyntheses([request()], {
      updates: [{ deal_id: "d1", summary: "s".repeat(5000), change_summary: "c".repeat(5000), evolution_summary: "e" }],
    });
    expect(value[0]?.summary.length).toBe(SYNTHESIS_LIMITS.summaryChars);
    expect(value[0]?.change_summary.length).toBe(SYNTHESIS_LIMITS.changeSummaryChars);
  });
});
