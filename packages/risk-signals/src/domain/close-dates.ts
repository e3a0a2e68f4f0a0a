import * as chrono from "chrono-node";

/*
 * A close timeframe is what people say ("by the end of Q3", "before our fiscal year ends in
 * June", "in about 60 days"), read against when they said it. A deal's close "passes" at the
 * end of the period named, never at its start: "in June" is still true on 20 June. A timeframe
 * that names no period ("soon", "after the board meets") has no date, and raises nothing.
 */

const DAY_MS = 86_400_000;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const endOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0));
const quarterEnd = (year: number, quarter: number) => endOfMonth(year, quarter * 3 - 1);

function fullYear(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const year = Number(text);
  return year < 100 ? 2000 + year : year;
}

/** The end of a named quarter, this year's or (if that has passed) next year's unless a year is given. */
function namedQuarter(text: string, said: Date): Date | null {
  const match = /\bq([1-4])\b(?:\s*(?:of\s*)?(?:fy\s*)?'?(\d{4}|\d{2})\b)?/i.exec(text);
  if (!match) return null;
  const quarter = Number(match[1]);
  const given = match[2];
  const end = quarterEnd(fullYear(given, said.getUTCFullYear()), quarter);
  if (given === undefined && end.getTime() < said.getTime()) return quarterEnd(said.getUTCFullYear() + 1, quarter);
  return end;
}

function relativePeriod(text: string, said: Date): Date | null {
  const year = said.getUTCFullYear();
  const quarter = Math.floor(said.getUTCMonth() / 3) + 1;
  if (/\bnext quarter\b/i.test(text)) return quarter === 4 ? quarterEnd(year + 1, 1) : quarterEnd(year, quarter + 1);
  if (/\b(?:this|the|current) quarter\b|\bquarter[- ]end\b/i.test(text)) return quarterEnd(year, quarter);
  if (/\bnext (?:fiscal )?year\b/i.test(text)) return new Date(Date.UTC(year + 1, 11, 31));
  if (/\b(?:this|the) (?:calendar )?year\b|\byear[- ]end\b|\bend of (?:the )?year\b/i.test(text)) return new Date(Date.UTC(year, 11, 31));
  return null;
}

/** A month without a day ("by June") means its last day: this year's, unless that has passed by when it was said. */
function wholeMonth(start: chrono.ParsedComponents, said: Date): Date {
  const month = start.get("month")! - 1;
  if (start.isCertain("year")) return endOfMonth(start.get("year")!, month);
  const thisYear = endOfMonth(said.getUTCFullYear(), month);
  return thisYear.getTime() >= said.getTime() - DAY_MS ? thisYear : endOfMonth(said.getUTCFullYear() + 1, month);
}

/** ISO date (YYYY-MM-DD) by which the timeframe means the deal closes, or null when it names no period. */
export function closeByDate(timeframe: string | null, saidAt: string): string | null {
  if (timeframe === null || timeframe.trim() === "") return null;
  const said = new Date(saidAt);
  if (Number.isNaN(said.getTime())) return null;
  const named = namedQuarter(timeframe, said) ?? relativePeriod(timeframe, said);
  if (named) return isoDate(named);
  const [parsed] = chrono.parse(timeframe, { instant: said, timezone: 0 }, { forwardDate: true });
  if (!parsed) return null;
  const { start, end } = parsed;
  const date = end?.date() ?? (!start.isCertain("day") && start.isCertain("month") ? wholeMonth(start, said) : start.date());
  // A date before the conversation is a misreading, not a deadline that was already missed when said.
  if (date.getTime() < said.getTime() - DAY_MS) return null;
  return isoDate(date);
}

/** Days from `from` to `to` (both ISO dates), negative when `to` is earlier. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
