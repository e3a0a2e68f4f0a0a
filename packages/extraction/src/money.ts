/**
 * An amount of money as it was said: `420,000 dollars`, `$2.4M`, `EUR 45k`, `sixty thousand
 * euros`, `212.500 euros`, `between 80 and 100k dollars` (a range: its midpoint, with both ends),
 * or a bare `1.75 million` in a conversation that priced in one currency.
 */
export interface MoneyMention {
  amount: number;
  /** ISO 4217, or UNSTATED_CURRENCY for a bare amount; plain "dollars" count as USD unless a country qualifies them. */
  currency: string;
  /** Offset and length of the mention in the searched text. */
  index: number;
  length: number;
  /** For a range ("between 60 and 75 thousand"): its ends; `amount` is the midpoint. */
  range?: [number, number];
}

/** A bare amount ("1.75 million"): the conversation's currency applies. */
export const UNSTATED_CURRENCY = "XXX";

const SCALE: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
};

const SYMBOLS: Record<string, string> = {
  us$: "USD",
  c$: "CAD",
  ca$: "CAD",
  a$: "AUD",
  au$: "AUD",
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
};

const CODES = ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "SGD", "INR", "ZAR", "HKD", "PLN"];

const QUALIFIED_DOLLARS: Record<string, string> = {
  us: "USD",
  "u.s.": "USD",
  american: "USD",
  canadian: "CAD",
  australian: "AUD",
  singapore: "SGD",
  "new zealand": "NZD",
};

function currencyFromWord(word: string, qualifier: string | undefined): string {
  const w = word.toLowerCase();
  if (QUALIFIED_DOLLARS[w]) return QUALIFIED_DOLLARS[w];
  if (w.startsWith("euro")) return "EUR";
  if (w.startsWith("pound") || w === "sterling" || w === "quid") return "GBP";
  if (w === "yen") return "JPY";
  if (CODES.includes(word.toUpperCase())) return word.toUpperCase();
  return (qualifier && QUALIFIED_DOLLARS[qualifier.toLowerCase()]) ?? "USD";
}

// Thousands with commas (420,000.50), with dots as much of Europe writes them (212.500 or
// 1.250.000,00), or plain digits with an optional decimal part.
const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?(?![\d.])|\d+(?:\.\d+)?`;
const SCALE_WORD = String.raw`(?:\s?(k|mm|mn|m|bn|b)\b|\s(thousand|million|billion)\b)`;
const CURRENCY_WORD = String.raw`(?:(us|u\.s\.|american|canadian|australian|singapore|new zealand)\s)?(dollars?|bucks|euros?|pounds?(?: sterling)?|quid|yen|francs?|${CODES.join("|")})\b|\b(canadian|australian)\b`;

const SYMBOL_FIRST = new RegExp(String.raw`(US\$|CA?\$|AU?\$|\$|€|£|¥)\s?(${NUMBER})${SCALE_WORD}?`, "gi");
const CODE_FIRST = new RegExp(String.raw`\b(${CODES.join("|")})\s?(${NUMBER})${SCALE_WORD}?`, "g");
const NUMBER_FIRST = new RegExp(String.raw`\b(${NUMBER})${SCALE_WORD}?\s?(?:${CURRENCY_WORD}|(€|£|¥))`, "gi");
/** "1.75 million" or "90 thousand a year" with no currency: money only when a price-like word follows, not "2.1 million pages". */
const BARE_SCALED = new RegExp(
  String.raw`\b(${NUMBER})${SCALE_WORD}(?=\s*(?:[,.;:)!?]|$|\s(?:a|an|per|over|in|for|fixed|covering|including|includes|plus|as|and|which|all|total|up|on|annually|each|upfront|one-off|a year|every|that|this|is|was|would|to|with|from|or)\b))`,
  "gi",
);
/** "between 80 and 100k dollars", "£80-100k", "60 to 75 thousand euros". */
const RANGE = new RegExp(
  String.raw`\b(?:between\s+)?(US\$|CA?\$|AU?\$|\$|€|£|¥)?(${NUMBER})${SCALE_WORD}?\s*(?:and|to|-|–)\s*(US\$|CA?\$|AU?\$|\$|€|£|¥)?(${NUMBER})${SCALE_WORD}?(?:\s?(?:${CURRENCY_WORD}))?`,
  "gi",
);

const UNITS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const NUMBER_WORD = `(?:${[...Object.keys(UNITS), "hundred", "thousand", "million", "billion", "half a"].join("|")})`;
const WORDS_FIRST = new RegExp(String.raw`\b(${NUMBER_WORD}(?:(?:\s|-|\sand\s)${NUMBER_WORD})*)\s${CURRENCY_WORD}`, "gi");

function parseNumber(digits: string, scaleWord: string | undefined): number {
  const european = /^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$/.test(digits) && !scaleWord;
  const value = european ? Number(digits.replace(/\./g, "").replace(",", ".")) : Number(digits.replace(/,/g, ""));
  return scaleWord ? value * (SCALE[scaleWord.toLowerCase()] ?? 1) : value;
}

/** "two hundred fifty thousand" → 250000; "half a million" → 500000. */
export function parseNumberWords(phrase: string): number | null {
  const words = phrase
    .toLowerCase()
    .replace(/half a/g, "half")
    .split(/[\s-]+/)
    .filter((w) => w !== "and");
  let total = 0;
  let current = 0;
  let seen = false;
  for (const word of words) {
    if (word === "half") {
      current += 0.5;
      seen = true;
    } else if (word in UNITS) {
      current += UNITS[word] ?? 0;
      seen = true;
    } else if (word === "hundred") {
      current = (current || 1) * 100;
    } else if (word === "thousand" || word === "million" || word === "billion") {
      total += (current || 1) * (SCALE[word] ?? 1);
      current = 0;
      seen = true;
    } else {
      return null;
    }
  }
  return seen ? total + current : null;
}

/** Every amount of money in `text`, in order of appearance, overlapping readings removed. */
export function findMoneyMentions(text: string): MoneyMention[] {
  const found: MoneyMention[] = [];
  for (const m of text.matchAll(SYMBOL_FIRST)) {
    found.push({
      amount: parseNumber(m[2] ?? "", m[3] ?? m[4]),
      currency: SYMBOLS[(m[1] ?? "$").toLowerCase()] ?? "USD",
      index: m.index,
      length: m[0].length,
    });
  }
  for (const m of text.matchAll(CODE_FIRST)) {
    found.push({ amount: parseNumber(m[2] ?? "", m[3] ?? m[4]), currency: m[1] ?? "USD", index: m.index, length: m[0].length });
  }
  for (const m of text.matchAll(NUMBER_FIRST)) {
    const currency = m[7] ? (SYMBOLS[m[7]] ?? "USD") : currencyFromWord(m[5] ?? m[6] ?? "", m[4]);
    found.push({ amount: parseNumber(m[1] ?? "", m[2] ?? m[3]), currency, index: m.index, length: m[0].length });
  }
  for (const m of text.matchAll(RANGE)) {
    const range = rangeOf(m);
    if (range) found.push(range);
  }
  // Bare amounts go last: a stated currency reading of the same words wins.
  for (const m of text.matchAll(BARE_SCALED)) {
    found.push({ amount: parseNumber(m[1] ?? "", m[2] ?? m[3]), currency: UNSTATED_CURRENCY, index: m.index, length: m[0].length, bare: true } as MoneyMention);
  }
  for (const m of text.matchAll(WORDS_FIRST)) {
    const amount = parseNumberWords(m[1] ?? "");
    if (amount !== null && amount >= 1) {
      found.push({ amount, currency: currencyFromWord(m[3] ?? "", m[2]), index: m.index, length: m[0].length });
    }
  }
  // Longest reading first at each position (a range over its two ends); bare readings lose ties.
  const bare = (m: MoneyMention) => ((m as { bare?: boolean }).bare ? 1 : 0);
  found.sort((a, b) => a.index - b.index || b.length - a.length || bare(a) - bare(b));
  const kept: MoneyMention[] = [];
  for (const mention of found) {
    const last = kept[kept.length - 1];
    if (last && mention.index < last.index + last.length) continue;
    if (Number.isFinite(mention.amount) && mention.amount > 0) {
      const { index, length, amount, currency, range } = mention;
      kept.push(range ? { amount, currency, index, length, range } : { amount, currency, index, length });
    }
  }
  return kept;
}

/** A range reading when at least one end carries a currency and the ends are in order. */
function rangeOf(m: RegExpMatchArray): MoneyMention | null {
  const [, symbolLo, lo = "", scaleLo1, scaleLo2, symbolHi, hi = "", scaleHi1, scaleHi2, qualifier, word, bareWord] = m;
  const scaleHi = scaleHi1 ?? scaleHi2;
  const scaleLo = scaleLo1 ?? scaleLo2 ?? scaleHi;
  const symbol = symbolLo ?? symbolHi;
  const currency = symbol ? (SYMBOLS[symbol.toLowerCase()] ?? "USD") : word || bareWord ? currencyFromWord(word ?? bareWord ?? "", qualifier) : null;
  if (currency === null || (!/^between\b/i.test(m[0]) && !symbol && !/\s(?:to|-|–)\s|-|–/.test(m[0]))) return null;
  const low = parseNumber(lo, scaleLo);
  const high = parseNumber(hi, scaleHi);
  if (!(low > 0 && high > low && high <= low * 10)) return null;
  return { amount: (low + high) / 2, currency, index: m.index ?? 0, length: m[0].length, range: [low, high] };
}

/** The number words read as a count of things ("forty seats"): the units from two to sixty that calls price by, and "hundred" ("a" and "one" are not counts here). */
const COUNT_WORDS: Record<string, number> = {
  ...Object.fromEntries(
    ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty"].map(
      (word) => [word, UNITS[word] ?? 0],
    ),
  ),
  hundred: 100,
};
const COUNT = new RegExp(
  String.raw`\b(\d{1,3}(?:,\d{3})+|\d+|${Object.keys(COUNT_WORDS).join("|")})\s+(?!percent|per cent|%|years?|months?|weeks?|days?|hours?|minutes?|thousand|million|billion)([a-z][a-z-]+)`,
  "gi",
);
const countValue = (text: string) => COUNT_WORDS[text.toLowerCase()] ?? Number(text.replace(/,/g, ""));
const singular = (word: string) =>
  word
    .toLowerCase()
    .replace(/(?<=(?:s|x|ch|sh))es$/, "")
    .replace(/(?<!s)s$/, "");
const PERIOD_MONTH = /\b(?:per|a|each|every)\s+month\b|\bmonthly\b/i;
const PER_UNIT = /\b(?:per|a|each|every)\s+(?!month|year|annum)([a-z-]+)|\beach\b/i;
const TERM = /\b(two|three|four|five|2|3|4|5)[- ](?:year|yr)\b/i;
const TERM_YEARS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, "2": 2, "3": 3, "4": 4, "5": 5 };

/**
 * Amounts a sentence implies without saying them: a unit price times the stated count ("$45 per
 * seat per month for 300 seats" is 162,000 a year), a monthly price over a year, and a yearly
 * price over a stated term. Each comes with the mention it is derived from.
 */
export function impliedAmounts(
  sentence: string,
  mentions: readonly MoneyMention[] = findMoneyMentions(sentence),
): Array<{ amount: number; currency: string; from: MoneyMention; basis: "annual" | "term" | "total" }> {
  const implied: Array<{ amount: number; currency: string; from: MoneyMention; basis: "annual" | "term" | "total" }> = [];
  for (const mention of mentions) {
    const after = sentence.slice(mention.index + mention.length, mention.index + mention.length + 60);
    const clause = after.split(/[,;]|\bso\b/)[0] ?? "";
    const monthly = PERIOD_MONTH.test(clause);
    const unit = PER_UNIT.exec(clause);
    const counted = [...sentence.matchAll(COUNT)]
      .filter((c) => !mentions.some((m) => (c.index ?? 0) >= m.index && (c.index ?? 0) < m.index + m.length))
      .map((c) => ({ n: countValue(c[1] ?? ""), noun: singular(c[2] ?? ""), at: c.index ?? 0 }))
      .filter((c) => c.n > 1);
    // "$45 per seat ... for 300 seats": the count of that unit; "four milestones of AUD 160,000 each": the count just before.
    const count = unit?.[1]
      ? counted.find((c) => c.noun === singular(unit[1]!) || c.noun.startsWith(singular(unit[1]!)))
      : unit
        ? counted.filter((c) => c.at < mention.index).pop()
        : undefined;
    let base = mention.amount;
    if (count) {
      base = base * count.n;
      implied.push({ amount: base, currency: mention.currency, from: mention, basis: monthly ? "total" : "annual" });
    }
    if (monthly) {
      base = base * 12;
      implied.push({ amount: base, currency: mention.currency, from: mention, basis: "annual" });
    }
    const term = TERM.exec(sentence);
    if (term && (monthly || count !== undefined || /\b(?:a|per|each|every)\s+year\b|\bannual(?:ly)?\b|\byearly\b/i.test(after))) {
      implied.push({ amount: base * (TERM_YEARS[(term[1] ?? "").toLowerCase()] ?? 1), currency: mention.currency, from: mention, basis: "term" });
    }
  }
  return implied;
}
