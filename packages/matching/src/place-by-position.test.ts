import { placeByPosition } from "./place-by-position";

const axis = (i: number): number[] => [0, 1, 2].map((d) => (d === i ? 1 : 0));

describe("placeByPosition", () => {
  it("groups repeats by stored id, by key, or by near-identical embedding, keeping every position", () => {
    const placements = placeByPosition(
      [
        { kind: "existing", id: "s1", reason: "exact", score: 1 },
        { kind: "new", bestScore: 0.2 },
        { kind: "existing", id: "s1", reason: "model", score: 0.8 },
        { kind: "new", bestScore: null },
        { kind: "new", bestScore: null },
        { kind: "failed", message: "unreadable" },
        { kind: "new", bestScore: null },
      ],
      [axis(0), axis(1), axis(0), axis(1), [0, 0.05, 0.99], axis(2), axis(2)],
      ["a", "b", "a", "b", "c", "d", "e"],
      0.9,
    );
    expect(placements.map((p) => [p.index, p.kind, "repeat" in p ? p.repeat : null, "group" in p ? p.group : null])).toEqual([
      [0, "existing", false, null],
      [1, "new", false, 1],
      [2, "existing", true, null],
      [3, "new", true, 1],
      [4, "new", false, 4],
      [5, "failed", null, null],
      [6, "new", true, 4],
    ]);
  });
});
