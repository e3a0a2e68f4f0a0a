import { foldPlacements, type FoldRules } from "./fold-placements";

/** A toy record: a count of mentions per name, so what folded where can be read off the result. */
interface Tally {
  id: string;
  name: string;
  mentions: number;
}

const axis = (i: number): number[] => [0, 1, 2].map((d) => (d === i ? 1 : 0));

function rules(stored: Tally[], refuse: string | null = null): FoldRules<string, Tally, string> {
  let minted = 0;
  return {
    noun: "tally",
    key: (name) => name.toLowerCase(),
    stored: new Map(stored.map((t) => [t.id, t])),
    source: "call-1",
    merge: (base, incoming) => ({ next: { ...base, mentions: base.mentions + incoming.length }, changedFields: ["mentions"] }),
    absorb: (record) => ({ ...record, mentions: record.mentions + 1 }),
    create: (name) => (name === refuse ? `no place for ${name}` : { id: `new-${(minted += 1)}`, name, mentions: 1 }),
  };
}

describe("foldPlacements", () => {
  it("makes one merge per stored record and one create per new record, whatever the repeats", () => {
    const folded = foldPlacements(
      {
        inputs: ["Alpha", "Beta", "alpha", "BETA"],
        resolutions: [
          { kind: "existing", id: "s1", reason: "exact", score: 1 },
          { kind: "new", bestScore: 0.3 },
          { kind: "existing", id: "s1", reason: "model", score: 0.8 },
          { kind: "new", bestScore: null },
        ],
        embeddings: [axis(0), axis(1), axis(0), axis(1)],
        sameSimilarity: 0.9,
      },
      rules([{ id: "s1", name: "Alpha", mentions: 4 }]),
    );
    expect(folded.merges).toEqual([
      {
        id: "s1",
        base: { id: "s1", name: "Alpha", mentions: 4 },
        next: { id: "s1", name: "Alpha", mentions: 6 },
        changedFields: ["mentions"],
        incoming: ["Alpha", "alpha"],
        indexes: [0, 2],
      },
    ]);
    expect(folded.creates).toEqual([{ record: { id: "new-1", name: "Beta", mentions: 2 }, embedding: axis(1), indexes: [1, 3] }]);
    expect(folded.steps.map((s) => [s.index, s.kind, s.reason, s.score])).toEqual([
      [0, "merged", "exact", 1],
      [1, "created", "new", 0.3],
      [2, "merged", "same_envelope", 0.8],
      [3, "created", "same_envelope", null],
    ]);
    expect(folded.failures).toEqual([]);
  });

  it("reports a stored record it cannot read and a record it may not create, and goes on with the rest", () => {
    const folded = foldPlacements(
      {
        inputs: ["Gone", "Nowhere", "Gamma"],
        resolutions: [
          { kind: "existing", id: "missing", reason: "exact", score: 1 },
          { kind: "new", bestScore: null },
          { kind: "new", bestScore: null },
        ],
        embeddings: [axis(0), axis(1), axis(2)],
        sameSimilarity: 0.9,
      },
      rules([], "Nowhere"),
    );
    expect(folded.failures).toEqual([
      { index: 0, message: "matched tally missing could not be read" },
      { index: 1, message: "no place for Nowhere" },
    ]);
    expect(folded.creates.map((c) => c.record.name)).toEqual(["Gamma"]);
  });
});
