import { differingBuckets, rowsIn, totalRows, type BucketSums } from "./range-checksums";

const sums = (entries: Array<[string, number, number, number]>): BucketSums =>
  new Map(entries.map(([bucket, rows, low, high]) => [bucket, { rows, low, high }]));

it("finds the buckets whose count or revision sums differ, and those only one side has", () => {
  const graph = sums([
    ["00a1", 3, 10, 20],
    ["00b2", 2, 5, 5],
    ["00c3", 1, 7, 7],
    ["00d4", 4, 1, 1],
  ]);
  const postgres = sums([
    ["00a1", 3, 10, 20], // in step
    ["00b2", 2, 5, 6], // a revision differs (a stale row)
    ["00d4", 3, 1, 1], // a row missing
    ["00e5", 1, -2, -2], // a row the graph does not hold
  ]);
  expect(differingBuckets(graph, postgres)).toEqual(["00b2", "00c3", "00d4", "00e5"]);
  expect(rowsIn(["00b2", "00c3", "00d4", "00e5"], graph, postgres)).toBe(2 + 1 + 4 + 1);
  expect(totalRows(graph)).toBe(10);
});

it("finds nothing when both sides agree bucket for bucket", () => {
  const both = sums([
    ["0001", 1, 2, 3],
    ["0002", 5, 6, 7],
  ]);
  expect(differingBuckets(both, new Map(both))).toEqual([]);
});
