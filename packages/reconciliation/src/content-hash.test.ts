import { contentHash } from "./content-hash";

describe("contentHash", () => {
  const columns = { name: "text", version: "int", score: "real" } as const;

  it("is the same for a graph value and its single-precision Postgres copy", () => {
    const graph = contentHash("id-1", { name: "Fleet", version: 3, score: 0.8333333333333334 }, columns);
    const postgres = contentHash("id-1", { name: "Fleet", version: "3", score: Math.fround(0.8333333333333334) }, columns);
    expect(postgres).toBe(graph);
  });

  it("changes with any covered value or the id, not with columns it does not cover", () => {
    const base = contentHash("id-1", { name: "Fleet", version: 3, score: 0.5, other: "x" }, columns);
    expect(contentHash("id-1", { name: "Fleet", version: 3, score: 0.5, other: "y" }, columns)).toBe(base);
    expect(contentHash("id-1", { name: "Fleet ", version: 3, score: 0.5 }, columns)).not.toBe(base);
    expect(contentHash("id-1", { name: "Fleet", version: 4, score: 0.5 }, columns)).not.toBe(base);
    expect(contentHash("id-1", { name: "Fleet", version: 3, score: 0.51 }, columns)).not.toBe(base);
    expect(contentHash("id-2", { name: "Fleet", version: 3, score: 0.5 }, columns)).not.toBe(base);
  });

  it("tells null from an empty string and from a missing column the same way on both sides", () => {
    expect(contentHash("a", { name: null, version: 1, score: null }, columns)).toBe(contentHash("a", { version: 1 }, columns));
    expect(contentHash("a", { name: "", version: 1 }, columns)).not.toBe(contentHash("a", { name: null, version: 1 }, columns));
  });
});
