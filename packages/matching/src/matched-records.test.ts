import { candidateRecords, readMatchedRecords } from "./matched-records";

const result = (records: Array<[string, { n: number }]>) => ({ exactMatchId: null, hits: [], texts: new Map<string, string>(), records: new Map(records) });

describe("candidateRecords", () => {
  it("gathers every candidate's record across an envelope's results, by id", () => {
    const gathered = candidateRecords([
      result([["a", { n: 1 }]]),
      result([
        ["b", { n: 2 }],
        ["a", { n: 1 }],
      ]),
    ]);
    expect([...gathered]).toEqual([
      ["a", { n: 1 }],
      ["b", { n: 2 }],
    ]);
  });
});

describe("readMatchedRecords", () => {
  const read = (stored: { n: number }) => {
    if (stored.n < 0) throw new Error(`record ${stored.n} has no name`);
    return stored.n * 10;
  };

  it("reads the matched ids' records and fails, with why, one that is gone or does not read", () => {
    const stored = new Map([
      ["a", { n: 1 }],
      ["bad", { n: -1 }],
    ]);
    const { records, failed } = readMatchedRecords(["a", "bad", "gone"], stored, read, "deal");
    expect([...records]).toEqual([["a", 10]]);
    expect([...failed]).toEqual([
      ["bad", "record -1 has no name"],
      ["gone", "matched deal gone no longer exists"],
    ]);
  });

  it("reads nothing when nothing matched", () => {
    expect(readMatchedRecords([], new Map([["a", { n: 1 }]]), read, "deal")).toEqual({ records: new Map(), failed: new Map() });
  });
});
