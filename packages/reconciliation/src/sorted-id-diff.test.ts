import { diffSortedIds } from "./sorted-id-diff";

async function* stream(ids: string[], pageSize = 2): AsyncGenerator<string> {
  for (let i = 0; i < ids.length; i += pageSize) {
    await Promise.resolve();
    yield* ids.slice(i, i + pageSize);
  }
}

describe("diffSortedIds", () => {
  it("finds nothing when both sides hold the same ids", async () => {
    const ids = ["a", "b", "c", "d", "e"];
    expect(await diffSortedIds(stream(ids), stream(ids, 3))).toEqual({ left: 5, right: 5, onlyLeft: [], onlyRight: [], onlyLeftCount: 0, onlyRightCount: 0 });
  });

  it("reports a missing id and an extra id even when the counts are equal", async () => {
    const diff = await diffSortedIds(stream(["a", "b", "d"]), stream(["a", "c", "d"]));
    expect(diff).toMatchObject({ left: 3, right: 3, onlyLeft: ["b"], onlyRight: ["c"] });
  });

  it("handles one side empty, and differences at both ends", async () => {
    expect(await diffSortedIds(stream([]), stream(["x", "y"]))).toMatchObject({ left: 0, right: 2, onlyRight: ["x", "y"], onlyLeft: [] });
    expect(await diffSortedIds(stream(["a", "m", "z"]), stream(["m"]))).toMatchObject({ onlyLeft: ["a", "z"], onlyRight: [] });
  });

  it("counts every difference but keeps only as many ids as asked", async () => {
    const left = Array.from({ length: 50 }, (_, i) => `id-${String(i).padStart(3, "0")}`);
    const diff = await diffSortedIds(stream(left, 7), stream([]), 10);
    expect(diff.onlyLeftCount).toBe(50);
    expect(diff.onlyLeft).toEqual(left.slice(0, 10));
  });
});
