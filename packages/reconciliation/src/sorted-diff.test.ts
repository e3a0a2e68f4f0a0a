import { diffSorted, type Entry } from "./sorted-diff";

async function* stream(entries: Array<[string, string] | Entry>, pageSize = 2): AsyncGenerator<Entry> {
  for (let i = 0; i < entries.length; i += pageSize) {
    await Promise.resolve();
    yield* entries.slice(i, i + pageSize).map((entry) => (Array.isArray(entry) ? { id: entry[0], hash: entry[1] } : entry));
  }
}
const same = (ids: string[]): Array<[string, string]> => ids.map((id) => [id, `h-${id}`]);

describe("diffSorted", () => {
  it("finds nothing when both sides hold the same entities", async () => {
    const entries = same(["a", "b", "c", "d", "e"]);
    expect(await diffSorted(stream(entries), stream(entries, 3))).toEqual({
      graph: 5,
      postgres: 5,
      missing: [],
      missingCount: 0,
      extra: [],
      extraCount: 0,
      stale: [],
      staleCount: 0,
      restamp: [],
    });
  });

  it("asks for a new stamp where the content agrees but the revision does not, and counts no drift", async () => {
    const graph = [
      { id: "a", hash: "h1", revision: 7 },
      { id: "b", hash: "h2", revision: null },
      { id: "c", hash: "h3", revision: 9 },
    ];
    const postgres = [
      { id: "a", hash: "h1", revision: null },
      { id: "b", hash: "h2", revision: null },
      { id: "c", hash: "h3", revision: 9 },
    ];
    const diff = await diffSorted(stream(graph), stream(postgres));
    expect(diff).toMatchObject({ staleCount: 0, missingCount: 0, extraCount: 0 });
    expect(diff.restamp).toEqual([
      { id: "a", graph: 7, postgres: null },
      { id: "b", graph: null, postgres: null },
    ]);
  });

  it("reports a missing id and an extra id even when the counts are equal", async () => {
    const diff = await diffSorted(stream(same(["a", "b", "d"])), stream(same(["a", "c", "d"])));
    expect(diff).toMatchObject({ graph: 3, postgres: 3, missing: ["b"], extra: ["c"], stale: [] });
  });

  it("reports a row whose content differs as stale", async () => {
    const diff = await diffSorted(
      stream([
        ["a", "1"],
        ["b", "2"],
      ]),
      stream([
        ["a", "1"],
        ["b", "changed"],
      ]),
    );
    expect(diff).toMatchObject({ missing: [], extra: [], stale: ["b"], staleCount: 1 });
  });

  it("handles one side empty, and differences at both ends", async () => {
    expect(await diffSorted(stream([]), stream(same(["x", "y"])))).toMatchObject({ graph: 0, postgres: 2, extra: ["x", "y"], missing: [] });
    expect(await diffSorted(stream(same(["a", "m", "z"])), stream(same(["m"])))).toMatchObject({ missing: ["a", "z"], extra: [] });
  });

  it("counts every difference but keeps only as many ids as asked", async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `id-${String(i).padStart(3, "0")}`);
    const diff = await diffSorted(stream(same(ids), 7), stream([]), 10);
    expect(diff.missingCount).toBe(50);
    expect(diff.missing).toEqual(ids.slice(0, 10));
  });
});
