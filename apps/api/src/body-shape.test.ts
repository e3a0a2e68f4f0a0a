import { bodyShape } from "./body-shape";

describe("bodyShape", () => {
  it("counts the keys of a single envelope at every depth, as the parser would", () => {
    const text = JSON.stringify({ a: 1, b: { c: 2, d: [{ e: 3 }] } });
    expect(bodyShape(text)).toEqual({ depth: 4, heaviest: { index: null, keys: 5 } });
  });

  it("names the heaviest envelope of an array by its index", () => {
    const text = JSON.stringify([{ a: 1 }, { a: 1, b: 2, c: { d: 3 } }, { a: 1 }]);
    expect(bodyShape(text)).toEqual({ depth: 3, heaviest: { index: 1, keys: 4 } });
  });

  it("ignores colons, commas and brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify([{ note: 'a: "b", {c: [d]}, e:f \\' }, { a: 1, b: 2 }]);
    expect(bodyShape(text)).toEqual({ depth: 2, heaviest: { index: 1, keys: 2 } });
  });

  it("measures nesting without recursion", () => {
    const text = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    expect(bodyShape(text)).toEqual({ depth: 100_000, heaviest: { index: null, keys: 100_000 } });
  });

  it("reads a body that is not JSON without throwing", () => {
    expect(bodyShape("not json")).toEqual({ depth: 0, heaviest: { index: null, keys: 0 } });
  });
});
