import { findMoneyMentions, impliedAmounts, parseNumberWords } from "./money";

/** Each mention as "amount CURRENCY", so a table of expectations reads like the texts it came from. */
const amounts = (text: string) => findMoneyMentions(text).map((m) => `${m.amount} ${m.currency}`);

describe("findMoneyMentions", () => {
  it.each([
    ["about 420,000 dollars a year", ["420000 USD"]],
    ["around 2.4 million dollars in total", ["2400000 USD"]],
    ["$2.4M over three years", ["2400000 USD"]],
    ["a $45k pilot", ["45000 USD"]],
    ["EUR 45,000 per year", ["45000 EUR"]],
    ["45,000 euros", ["45000 EUR"]],
    ["£12,500", ["12500 GBP"]],
    ["30,000 Canadian dollars", ["30000 CAD"]],
    ["C$30,000", ["30000 CAD"]],
    ["sixty thousand dollars", ["60000 USD"]],
    ["half a million dollars", ["500000 USD"]],
    ["two hundred fifty thousand euros", ["250000 EUR"]],
  ])("reads %s", (text, expected) => {
    expect(amounts(text)).toEqual(expected);
  });

  it("ignores numbers that are not money", () => {
    expect(amounts("nine thousand trucks, forty thousand events a second, 15 percent, 24x7")).toEqual([]);
  });

  it("finds each of several amounts once, in order", () => {
    expect(amounts("It was $50,000, now 60,000 dollars, and USD 70k next year.")).toEqual(["50000 USD", "60000 USD", "70000 USD"]);
  });

  it("parses number words", () => {
    expect(parseNumberWords("one hundred and twenty thousand")).toBe(120000);
    expect(parseNumberWords("blue")).toBeNull();
  });
});

describe("amounts as people write them", () => {
  it.each([
    ["the full rollout comes to 212.500 euros", ["212500 EUR"]],
    ["€415.000 including installation", ["415000 EUR"]],
    ["€14.500 per month (€174.000 in total)", ["14500 EUR", "174000 EUR"]],
    ["1.250.000,00 EUR", ["1250000 EUR"]],
    ["48.000 € a year", ["48000 EUR"]],
    ["¥3,000,000 per year", ["3000000 JPY"]],
    ["around 400 thousand Canadian a year", ["400000 CAD"]],
    ["CHF 40,000 per year", ["40000 CHF"]],
    ["£1.2m for three years, so £400k a year", ["1200000 GBP", "400000 GBP"]],
    ["one hundred and twenty thousand pounds annually", ["120000 GBP"]],
    ["the core conversion is a fixed fee of 1.75 million, covering", ["1750000 XXX"]],
  ])("reads %s", (text, expected) => {
    expect(amounts(text)).toEqual(expected);
  });

  it("reads a range as its midpoint with both ends", () => {
    const [range] = findMoneyMentions("you're looking at somewhere between 80 and 100k dollars all in");
    expect(range).toMatchObject({ amount: 90000, currency: "USD", range: [80000, 100000] });
    expect(findMoneyMentions("between 60 and 75 thousand dollars")[0]).toMatchObject({ range: [60000, 75000] });
  });

  it("does not take counted things for bare amounts", () => {
    expect(amounts("about two point one million pages, 2.1 million pages a year and 9,000 employees")).toEqual([]);
  });

  it("derives unit price times count, monthly over a year and yearly over a term", () => {
    const implied = (text: string) => impliedAmounts(text).map((i) => `${i.amount} ${i.basis}`);
    expect(implied("$45 per seat per month for 300 seats")).toEqual(["13500 total", "162000 annual"]);
    expect(implied("£2,950 a month on a three-year term")).toEqual(["35400 annual", "106200 term"]);
    expect(implied("$38 per device per year for the same 12,000 devices, three-year agreement")).toEqual(["456000 annual", "1368000 term"]);
  });
});
