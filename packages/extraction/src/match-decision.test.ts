import { guardMatchDecisions, type MatchQuestion } from "./match-decision";

const questions: MatchQuestion[] = [
  { query_id: "q0", text: "Fleet platform", candidates: [{ candidate_id: "d1", text: "Fleet telemetry platform" }] },
  { query_id: "q1", text: "Support plan", candidates: [{ candidate_id: "d2", text: "Premium support plan" }] },
  { query_id: "q2", text: "Spend agreement", candidates: [{ candidate_id: "d3", text: "Three-year agreement" }] },
];

describe("guardMatchDecisions", () => {
  it("keeps valid answers in question order and clamps confidence", () => {
    const { value, warnings } = guardMatchDecisions(questions.slice(0, 2), {
      decisions: [
        { query_id: "q1", match_id: null, confidence: 0.4, reason: "different scope" },
        { query_id: "q0", match_id: "d1", confidence: 1.7, reason: "same offering" },
      ],
    });
    expect(value.map((a) => [a.query_id, a.match_id, a.confidence])).toEqual([
      ["q0", "d1", 1],
      ["q1", null, 0.4],
    ]);
    expect(warnings).toEqual([]);
  });

  it("turns a foreign id, a missing answer and a duplicate into 'new' with warnings", () => {
    const { value, warnings } = guardMatchDecisions(questions, {
      decisions: [
        { query_id: "q0", match_id: "d2", confidence: 0.9, reason: "wrong list" },
        { query_id: "q1", match_id: "d2", confidence: 0.9, reason: "ok" },
        { query_id: "q1", match_id: null, confidence: 0.9, reason: "again" },
      ],
    });
    expect(value.map((a) => a.match_id)).toEqual([null, "d2", null]);
    expect(warnings).toHaveLength(3);
  });
});
