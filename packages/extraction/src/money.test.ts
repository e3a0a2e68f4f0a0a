import { findMoneyMentions, parseNumberWords } from "./money";

const amounts = (text: string) => findMoneyMentions(text).map((m) => [m.amount, m.currency]);

describe("findMoneyMentions", () => {
  it.each([
    ["about 420,000 dollars a year", [[420000, "USD"]]],
    ["around 2.4 million dollars in total", [[2400000, "USD"]]],
    ["$2.4M over three years", [[2400000, "USD"]]],
    ["a $45k pilot", [[45000, "USD"]]],
    ["EUR 45,000 per year", [[45000, "EUR"]]],
    ["45,000 euros", [[45000, "EUR"]]],
    ["£12,500", [[12500, "GBP"]]],
    ["30,000 Canadian dollars", [[30000, "CAD"]]],
    ["C$30,000", [[30000, "CAD"]]],
    ["sixty thousand dollars", [[60000, "USD"]]],
    ["half a million dollars", [[500000, "USD"]]],
    ["two hundred fifty thousand euros", [[250000, "EUR"]]],
  ])("reads %s", (text, expected) => {
    expect(amounts(text)).toEqual(expected);
  });

  it("ignores numbers that are not money", () => {
    expect(amounts("nine thousand trucks, forty thousand events a second, 15 percent, 24x7")).toEqual([]);
  });

  it("finds each of several amounts once, in order", () => {
    expect(amounts("It was $50,000, now 60,000 dollars, and USD 70k next year.")).toEqual([
      [50000, "USD"],
      [60000, "USD"],
      [70000, "USD"],
    ]);
  });

  it("parses number words", () => {
    expect(parseNumberWords("one hundred and twenty thousand")).toBe(120000);
    expect(parseNumberWords("blue")).toBeNull();
  });
});
