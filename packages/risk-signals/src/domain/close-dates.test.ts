import { closeByDate } from "./close-dates";

const SAID = "2026-03-16T15:00:00Z";

describe("closeByDate", () => {
  it.each([
    ["end of Q2", "2026-06-30"],
    ["by Q3 2027", "2027-09-30"],
    ["Q1", "2026-03-31"],
    ["next quarter", "2026-06-30"],
    ["this quarter", "2026-03-31"],
    ["by June", "2026-06-30"],
    ["March", "2026-03-31"],
    ["by April 30", "2026-04-30"],
    ["within 90 days", "2026-06-14"],
    ["by the end of the year", "2026-12-31"],
    ["before our fiscal year ends in June", "2026-06-30"],
  ])("reads %s said on 16 March 2026 as %s, the end of the period named", (timeframe, expected) => {
    expect(closeByDate(timeframe, SAID)).toBe(expected);
  });

  it("rolls a named quarter that has already ended into next year", () => {
    expect(closeByDate("Q1", "2026-05-01T00:00:00Z")).toBe("2027-03-31");
  });

  it.each(["soon", "once the board approves", ""])("gives no date for %j", (timeframe) => {
    expect(closeByDate(timeframe, SAID)).toBeNull();
  });
});
