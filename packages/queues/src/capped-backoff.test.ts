import { cappedBackoff } from "./envelope-jobs";

describe("cappedBackoff", () => {
  const noJitter = () => 0;

  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => cappedBackoff(n, 1000, 60_000, noJitter))).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(cappedBackoff(500, 1000, 60_000, noJitter)).toBe(60_000);
  });

  it("takes off at most half the delay as jitter", () => {
    expect(cappedBackoff(3, 1000, 60_000, () => 0.999_999)).toBe(2000);
    expect(cappedBackoff(3, 1000, 60_000, () => 0.5)).toBe(3000);
  });
});
