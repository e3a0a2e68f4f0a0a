import nlp from "compromise";
import { contentTerms } from "../text-features";
import type { PriceMention } from "./price-statements";
import type { Statement } from "./statements";

/*
 * What a price is the price of, named from the words around it. The sentence that prices a thing
 * usually names it ("the yard management module for Fort Worth is 62,000 dollars a year"); when
 * it names it only generically ("the full rollout comes to 212.500 euros"), the offer was
 * described a little earlier ("we'd fit vibration sensors ... our predictive maintenance
 * service"), and that description names it. Noun phrases come from compromise's tagger, so no
 * list of product words is needed: a phrase is specific when it carries a content word that is
 * neither a unit, a period nor a word for price itself.
 */

/** Words that name money, time, counting units or the deal itself rather than what is sold. */
const NOT_OFFERINGS = new Set(
  ("price prices pricing cost costs total totals number numbers fee fees figure figures amount amounts quote quotes quoted proposal proposals " +
    "deal deals contract contracts year years month months week weeks day days term terms volume budget budgets rate rates seat seats user users " +
    "device devices unit units page pages hour hours top side point points thing things option options lot lots bit part parts piece " +
    "everything something anything it that this these those one ones way case end start kind sort type time times money cent cents " +
    "dollar dollars euro euros pound pounds franc francs yen k m million thousand billion percent discount discounts invoice invoicing " +
    "payment payments mail email call meeting today tomorrow board team teams people customer customers client clients version plan approval " +
    "rollout subscription platform service services solution package module offering product products system tier licence license licences licenses").split(" "),
);

/** Heads that need a modifier to name anything ("the subscription" alone names nothing). */
const GENERIC_HEADS = new Set("rollout subscription platform service services solution package module offering product products system tier licence license licences licenses plan programme program project retainer add-on addon".split(" "));

export interface Offering {
  name: string;
  /** The sentence that describes the offering, when it is not the price sentence itself. */
  described: Statement | null;
  specific: boolean;
}

interface Phrase {
  text: string;
  index: number;
  terms: string[];
  specific: boolean;
}

const DETERMINERS = /^(?:(?:the|a|an|our|your|their|its|this|that|these|those|my|his|her|some|any|each|every|all|both|full|whole|entire|new|same|other|additional|separate|formal|first|second|total|annual|yearly|monthly|indicative|rough|fixed|standard|basic|existing|current)\s+)+/i;

function cleanPhrase(text: string): string {
  return text
    .replace(/[.,;:!?)"“”]+$/g, "")
    .replace(/^[("“”]+/, "")
    .replace(DETERMINERS, "")
    .replace(/^(?:and|or|plus|with|for)\s+/i, "")
    .replace(/\s+/g, " ")
    .trim();
}

function phrasesOf(sentence: string): Phrase[] {
  const phrases: Phrase[] = [];
  let from = 0;
  for (const raw of nlp(sentence).nouns().out("array") as string[]) {
    const index = sentence.indexOf(raw, from);
    if (index >= 0) from = index + raw.length;
    // Split coordinated phrases: "the migration and implementation services" names two things.
    for (const part of raw.split(/,\s+|\s+(?:and|plus|or)\s+/)) {
      const text = cleanPhrase(part);
      if (text.length < 2 || /\d/.test(text) && !/[a-z]{3,}/i.test(text.replace(/\d[\d,.]*/g, ""))) continue;
      if (/^(?:i|we|you|he|she|they|it|us|them|me|him|her)$/i.test(text)) continue;
      const words = text.toLowerCase().split(/\s+/);
      const terms = contentTerms(text).filter((t) => !NOT_OFFERINGS.has(t));
      const head = words[words.length - 1] ?? "";
      const properOrAcronym = /\b(?:[A-Z]{2,}\d*|[A-Z][a-z]+[A-Z]\w*)\b/.test(text) || /^[A-Z]/.test(text) && index > 0;
      const specific = terms.length > 0 && (words.length > 1 || properOrAcronym) && !(words.length === 1 && GENERIC_HEADS.has(head));
      if (terms.length === 0 && !words.some((w) => GENERIC_HEADS.has(w))) continue;
      phrases.push({ text, index: index < 0 ? 0 : index, terms, specific });
    }
  }
  return phrases;
}

/** How often the phrase's words recur in the conversation: what it is about, not what it mentions once. */
function salience(phrase: Phrase, counts: Map<string, number>): number {
  return phrase.terms.reduce((sum, t) => sum + Math.log1p(counts.get(t) ?? 0), 0) / Math.max(1, phrase.terms.length) + (phrase.specific ? 1 : 0);
}

export function termCounts(statements: readonly Statement[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of statements) for (const t of new Set(contentTerms(s.sentence))) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** The phrase the price sentence itself puts on the priced thing, best first. */
function inSentence(price: PriceMention): Phrase[] {
  const sentence = price.statement.sentence;
  const at = price.mention.index;
  return phrasesOf(sentence)
    .filter((p) => !(p.index >= at && p.index < at + price.mention.length))
    .map((p) => {
      const between = p.index < at ? sentence.slice(p.index + p.text.length, at) : sentence.slice(at + price.mention.length, p.index);
      let score = p.specific ? 2 : 0.5;
      // "X is / would be / comes to $N", "X: $N", "X at $N": the subject is what costs N.
      if (p.index < at && /\b(?:is|are|was|would be|will be|comes? to|came to|costs?|at|runs?|totals?)\b[^.;]{0,40}$|:\s*[^.;]{0,40}$/i.test(between)) score += 2;
      // "$N for the X", "quoted $N for X".
      if (p.index > at && /^\s*(?:a year |per year |annually |a month |per month |in total |total |fixed |all in )?(?:for|on|covering|to cover)\s+(?:the\s+|a\s+|an\s+|our\s+|your\s+)?$/i.test(between)) score += 1.5;
      if (p.index < at && /\b(?:pitched|quoted|proposed|offered|priced)\s+(?:the\s+|a\s+|an\s+|our\s+)?$/i.test(sentence.slice(Math.max(0, p.index - 20), p.index))) score += 1.5;
      return { p, score: score - Math.abs(p.index - at) / 400 };
    })
    .sort((a, b) => b.score - a.score)
    .map((x) => x.p);
}

const OFFER_VERBS = /\b(?:we'?d|we would|we can|we could|our|we offer|we provide|we run|we help|we do|we'll|we will|proposal|propose|quote|pitch|recommend|replace|fit|install|deploy|roll out|migrate|would cover|covers|includes?)\b/i;

/** The description of the offer before the price (within a few turns), when the price sentence names it only generically. */
function described(price: PriceMention, statements: readonly Statement[], counts: Map<string, number>): { phrase: Phrase; statement: Statement } | null {
  const at = price.statement.at;
  let best: { phrase: Phrase; statement: Statement; score: number } | null = null;
  for (const s of statements.slice(Math.max(0, at - 10), at + 2)) {
    if (s === price.statement) continue;
    const offerLike = OFFER_VERBS.test(s.sentence) ? 1 : 0;
    for (const phrase of phrasesOf(s.sentence)) {
      if (!phrase.specific) continue;
      const score = salience(phrase, counts) + offerLike + (s.seller ? 0.5 : 0) - Math.abs(at - s.at) * 0.08;
      if (best === null || score > best.score) best = { phrase, statement: s, score };
    }
  }
  return best;
}

export function offeringOf(price: PriceMention, statements: readonly Statement[], counts: Map<string, number>): Offering {
  const [own] = inSentence(price);
  if (own?.specific) return { name: formatName(own.text), described: null, specific: true };
  const earlier = described(price, statements, counts);
  if (earlier) {
    // "the full rollout" of what was described: keep the description's name.
    return { name: formatName(earlier.phrase.text), described: earlier.statement, specific: true };
  }
  return { name: formatName(own?.text ?? "Offering"), described: null, specific: false };
}

export function formatName(text: string): string {
  const words = text.split(/\s+/).slice(0, 9).join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
