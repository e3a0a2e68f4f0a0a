import { DEFAULT_MATCH_THRESHOLDS, bestScorePerCandidate, decideMatch, matchThresholdsSchema, normalizeKey } from "./match-policy";

describe("bestScorePerCandidate", () => {
  it("keeps the better of a deal's two embeddings and ranks deals best first", () => {
    expect(
      bestScorePerCandidate([
        { id: "a", score: 0.71, embedding: "original" },
        { id: "b", score: 0.8, embedding: "current" },
        { id: "a", score: 0.93, embedding: "current" },
      ]),
    ).toEqual([
      { id: "a", score: 0.93 },
      { id: "b", score: 0.8 },
    ]);
  });
});

describe("decideMatch", () => {
  const t = DEFAULT_MATCH_THRESHOLDS;

  it("merges an exact name match before looking at scores", () => {
    expect(decideMatch("x", [{ id: "y", score: 0.95 }], t)).toEqual({ kind: "merge", id: "x", score: 1, reason: "exact" });
  });

  it("merges at or above the auto-merge threshold", () => {
    expect(decideMatch(null, [{ id: "a", score: 0.9 }], t)).toMatchObject({ kind: "merge", id: "a", reason: "high_similarity" });
  });

  it("asks the model in the middle band, with only the candidates in the band", () => {
    expect(
      decideMatch(
        null,
        [
          { id: "a", score: 0.85 },
          { id: "b", score: 0.7 },
          { id: "c", score: 0.69 },
        ],
        t,
      ),
    ).toEqual({
      kind: "ask",
      candidates: [
        { id: "a", score: 0.85 },
        { id: "b", score: 0.7 },
      ],
    });
  });

  it("creates below the band, and when nothing is stored", () => {
    expect(decideMatch(null, [{ id: "a", score: 0.5 }], t)).toEqual({ kind: "new", bestScore: 0.5 });
    expect(decideMatch(null, [], t)).toEqual({ kind: "new", bestScore: null });
  });

  it("follows configured thresholds", () => {
    expect(decideMatch(null, [{ id: "a", score: 0.85 }], { autoMerge: 0.8, askModel: 0.5 }).kind).toBe("merge");
  });
});

describe("matchThresholdsSchema", () => {
  it("refuses a band that is upside down, naming the field", () => {
    const result = matchThresholdsSchema.safeParse({ autoMerge: 0.6, askModel: 0.8 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["askModel"]);
  });
});

describe("normalizeKey", () => {
  it("ignores case, punctuation, accents and a leading article", () => {
    expect(normalizeKey("The  Fleet-Telemetry Platform!")).toBe("fleet telemetry platform");
    expect(normalizeKey("Plateforme d'analyse")).toBe("plateforme d analyse");
    expect(normalizeKey("Café suite")).toBe(normalizeKey("cafe SUITE"));
  });
});
