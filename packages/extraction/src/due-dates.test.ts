import { resolveDueDate } from "./due-dates";

// Wednesday 15 April 2026, 10:00 UTC.
const SAID = "2026-04-15T10:00:00Z";

describe("resolveDueDate", () => {
  it.each([
    ["by Friday", "2026-04-17"],
    ["on Monday", "2026-04-20"],
    ["tomorrow", "2026-04-16"],
    ["today", "2026-04-15"],
    ["by 24 April", "2026-04-24"],
    ["next week", "2026-04-22"],
    ["within two weeks", "2026-04-29"],
  ])("reads %s said on Wednesday 15 April as %s", (hint, expected) => {
    expect(resolveDueDate(hint, SAID)).toBe(expected);
  });

  it("leaves hints that name no date, and missing inputs, empty", () => {
    expect(resolveDueDate("after the survey", SAID)).toBeNull();
    expect(resolveDueDate("soon", SAID)).toBeNull();
    expect(resolveDueDate(null, SAID)).toBeNull();
    expect(resolveDueDate("by Friday", null)).toBeNull();
  });
});
