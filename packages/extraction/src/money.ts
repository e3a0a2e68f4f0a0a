/** An amount of money as it was said: `420,000 dollars`, `$2.4M`, `EUR 45k`, `sixty thousand euros`. */
export interface MoneyMention {
  amount: number;
  /** ISO 4217. Plain "dollars" count as USD unless a country qualifies them. */
  currency: string;
  /** Offset and length of the mention in the searched text. */
  index: number;
  length: number;
}

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
  "us$": "USD",
  "c$": "CAD",
  "ca$": "CAD",
  "a$": "AUD",
  "au$": "AUD",
  $: "USD",
  "€": "EUR",
  "£": "GBP",
};

const CODES = ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "SGD", "INR"];

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
  if (w.startsWith("euro")) return "EUR";
  if (w.startsWith("pound") || w === "sterling" || w === "quid") return "GBP";
  if (w === "yen") return "JPY";
  if (CODES.includes(word.toUpperCase())) return word.toUpperCase();
  return (qualifier && QUALIFIED_DOLLARS[qualifier.toLowerCase()]) ?? "USD";
}

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const SCALE_WORD = String.raw`(?:\s?(k|mm|mn|m|bn|b)\b|\s(thousand|million|billion)\b)`;
const CURRENCY_WORD = String.raw`(?:(us|u\.s\.|american|canadian|australian|singapore|new zealand)\s)?(dollars?|bucks|euros?|pounds?(?: sterling)?|quid|yen|${CODES.join("|")})\b`;

const SYMBOL_FIRST = new RegExp(String.raw`(US\$|CA?\$|AU?\$|\$|€|£)\s?(${NUMBER})${SCALE_WORD}?`, "gi");
const CODE_FIRST = new RegExp(String.raw`\b(${CODES.join("|")})\s?(${NUMBER})${SCALE_WORD}?`, "g");
const NUMBER_FIRST = new RegExp(String.raw`\b(${NUMBER})${SCALE_WORD}?\s${CURRENCY_WORD}`, "gi");

const UNITS: Record<string, number> = {
  a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90,
};
const NUMBER_WORD = `(?:${[...Object.keys(UNITS), "hundred", "thousand", "million", "billion", "half a"].join("|")})`;
const WORDS_FIRST = new RegExp(
  String.raw`\b(${NUMBER_WORD}(?:(?:\s|-|\sand\s)${NUMBER_WORD})*)\s${CURRENCY_WORD}`,
  "gi",
);

function parseNumber(digits: string, scaleWord: string | undefined): number {
  const value = Number(digits.replace(/,/g, ""));
  return scaleWord ? value * (SCALE[scaleWord.toLowerCase()] ?? 1) : value;
}

/** "two hundred fifty thousand" → 250000; "half a million" → 500000. */
export function parseNumberWords(phrase: string): number | null {
  const words = phrase.toLowerCase().replace(/half a/g, "half").split(/[\s-]+/).filter((w) => w !== "and");
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
    found.push({
      amount: parseNumber(m[1] ?? "", m[2] ?? m[3]),
      currency: currencyFromWord(m[5] ?? "", m[4]),
      index: m.index,
      length: m[0].length,
    });
  }
  for (const m of text.matchAll(WORDS_FIRST)) {
    const amount = parseNumberWords(m[1] ?? "");
    if (amount !== null && amount >= 1) {
      found.push({ amount, currency: currencyFromWord(m[3] ?? "", m[2]), index: m.index, length: m[0].length });
    }
  }
  found.sort((a, b) => a.index - b.index || b.length - a.length);
  const kept: MoneyMention[] = [];
  for (const mention of found) {
    const last = kept[kept.length - 1];
    if (last && mention.index < last.index + last.length) continue;
    if (Number.isFinite(mention.amount) && mention.amount > 0) kept.push(mention);
  }
  return kept;
}
