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
  (
    "price prices pricing cost costs total totals number numbers fee fees figure figures amount amounts quote quotes quoted proposal proposals " +
    "deal deals contract contracts year years month months week weeks day days term terms volume budget budgets rate rates seat seats user users " +
    "device devices unit units page pages hour hours top side point points thing things option options lot lots bit part parts piece " +
    "everything something anything it that this these those one ones way case end start kind sort type time times money cent cents " +
    "dollar dollars euro euros pound pounds franc francs yen k m million thousand billion percent discount discounts invoice invoicing " +
    "payment payments mail email call meeting today tomorrow board team teams people customer customers client clients version plan approval " +
    "pilot pilots trial trials demo demos workshop meeting session survey report assessment poc " +
    "liability liabilities cap caps clause clauses wording redline redlines terms po sow msa nda rfp rfq usd eur gbp cad aud chf jpy nzd sek nok dkk sgd inr " +
    "rollout subscription platform service services solution package module offering product products system tier licence license licences licenses"
  ).split(" "),
);

const EXTENT_WORDS = new Set("whole full entire complete overall total basic standard same first initial".split(" "));

/** Heads that need a modifier to name anything ("the subscription" alone names nothing). */
const GENERIC_HEADS = new Set(
  "rollout subscription platform service services solution package module offering product products system tier licence license licences licenses plan programme program project retainer add-on addon".split(
    " ",
  ),
);

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

const TIME_WORDS =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|q[1-4]|today|tomorrow|yesterday|morning|afternoon|evening|weekend|week|weeks|month|months|year|years|quarter|day|days|hour|hours|minutes?|time|date|deadline|spring|summer|autumn|fall|winter)$/i;

/** What the namer knows of the conversation: how often each word recurs, and names that are people or organisations. */
export interface NamingContext {
  counts: Map<string, number>;
  /** Lower-cased names of people and of the two organisations: never an offering. */
  excluded: readonly string[];
  /** Each sentence's phrases, tagged once: every price looks back over the same sentences. */
  phrases: Map<string, Phrase[]>;
}

function phrasesIn(sentence: string, context: NamingContext): Phrase[] {
  let phrases = context.phrases.get(sentence);
  if (!phrases) {
    phrases = phrasesOf(sentence, context.excluded);
    context.phrases.set(sentence, phrases);
  }
  return phrases;
}

interface Term {
  text: string;
  normal: string;
  tags: string[];
  pre: string;
  post: string;
}

const has = (term: Term, ...tags: string[]) => tags.some((tag) => term.tags.includes(tag));
/** A noun that can name a thing sold: not a pronoun, a date, a unit or an amount. */
const isContentNoun = (t: Term) =>
  // Places say where a thing goes ("the module for Fort Worth"), not what it is.
  has(t, "Noun", "ProperNoun", "Acronym") &&
  !has(t, "Pronoun", "Date", "Duration", "Currency", "Value", "Money", "Person", "Possessive", "Place") &&
  !NOT_OFFERINGS.has(t.normal) &&
  !TIME_WORDS.test(t.normal);
const canModify = (t: Term) =>
  has(t, "Adjective", "Noun", "ProperNoun", "Acronym", "Gerund") && !has(t, "Pronoun", "Date", "Duration", "Currency", "Money", "Possessive", "Determiner");

/**
 * Noun phrases from compromise's part-of-speech tags: runs of modifiers ending in a noun
 * ("the yard management module", "10 gig point-to-point circuit"), split at conjunctions so
 * that "the migration and implementation services" yields two phrases.
 */
function phrasesOf(sentence: string, excluded: readonly string[]): Phrase[] {
  const terms = (nlp(sentence).json() as Array<{ terms: Term[] }>).flatMap((s) => s.terms);
  const phrases: Phrase[] = [];
  let run: Term[] = [];
  let from = 0;
  const close = () => {
    // "including vehicles and drivers" lists what a price covers; it does not name the thing.
    while (run.length > 0 && /^(?:including|excluding|plus|covering)$/i.test(run[0]!.normal)) run.shift();
    // A phrase ends at its last noun: "the subscription alone" is "subscription".
    let end = run.length;
    // A hyphenated compound ending the run is its head even when tagged a verb ("the audit add-on", "the follow-up").
    const compoundHead = (i: number) => i > 0 && /-$/.test(run[i - 1]!.post) && has(run[i]!, "Hyphenated") && !has(run[i - 1]!, "Value");
    while (end > 0 && !has(run[end - 1]!, "Noun", "ProperNoun", "Acronym") && !compoundHead(end - 1)) end--;
    const words = run.slice(0, end);
    run = [];
    if (words.length === 0) return;
    const text = words
      .map((w, i) => (i < words.length - 1 && /-$/.test(w.post) ? `${w.text}-` : i < words.length - 1 ? `${w.text} ` : w.text))
      .join("")
      .replace(/\s+/g, " ")
      .trim();
    const index = sentence.indexOf(words[0]!.text, from);
    if (index >= 0) from = index + 1;
    const content = words.filter(isContentNoun);
    const lower = text.toLowerCase();
    // A person's or an organisation's name as whole words ("Lee" is not in "fleet").
    const padded = ` ${lower} `;
    if (content.length === 0 || excluded.some((name) => name === lower || padded.includes(` ${name} `) || name.split(/\s+/).includes(lower))) return;
    const head = words[words.length - 1]!;
    // "two sites", "300 seats", "forty trucks": a count of something, not a thing sold.
    const counted = has(words[0]!, "Value") && words.filter((w) => !has(w, "Value")).length < 2;
    if (counted) return;
    // "the whole programme", "the full package": a modifier of extent says nothing of what it is.
    const telling = words.filter((w) => !EXTENT_WORDS.has(w.normal));
    const properOrAcronym = content.some((w) => has(w, "Acronym", "ProperNoun") || /^[A-Z]{2,}|[a-z][A-Z]/.test(w.text));
    const specific =
      (telling.length > 1 && !(telling.length === 2 && GENERIC_HEADS.has(head.normal) && !canModify(telling[0]!))) ||
      (properOrAcronym && !GENERIC_HEADS.has(head.normal));
    phrases.push({
      text,
      index: index < 0 ? 0 : index,
      terms: content.map((w) => w.normal),
      specific: specific || (content.length > 0 && !GENERIC_HEADS.has(head.normal) && telling.length > 1),
    });
  };
  terms.forEach((term, i) => {
    // "our storage service (hot tier plus archive)": a bracket starts another phrase.
    if (/[(]/.test(term.pre)) close();
    const joinsNext = /-$/.test(term.post);
    const joinedToPrevious = i > 0 && /-$/.test(terms[i - 1]!.post) && run.length > 0;
    const next = terms[i + 1];
    // "committed spend agreement", "managed analytics retainer": a participle before a noun modifies it.
    const verbModifier =
      has(term, "Verb") &&
      has(term, "PastTense", "Participle", "Gerund", "Infinitive", "PresentTense") &&
      next !== undefined &&
      has(next, "Noun") &&
      !has(next, "Pronoun") &&
      !/[,;:.!?]/.test(term.post);
    if (canModify(term) || verbModifier || (has(term, "Value") && !has(term, "Money") && run.length === 0 && !/[$€£¥]/.test(term.text))) {
      run.push(term);
      if (/[,;:.!?)]/.test(term.post)) close();
    } else if (joinsNext || joinedToPrevious) {
      // "two-year", "point-to-point": one modifier written with hyphens.
      run.push(term);
    } else {
      close();
    }
  });
  close();
  return phrases;
}

/** How often the phrase's words recur in the conversation: what it is about, not what it mentions once. */
function salience(phrase: Phrase, counts: Map<string, number>): number {
  return phrase.terms.reduce((sum, t) => sum + Math.log1p(counts.get(t) ?? 0), 0) / Math.max(1, phrase.terms.length) + (phrase.specific ? 1 : 0);
}

export function namingContext(statements: readonly Statement[], excludedNames: readonly string[]): NamingContext {
  const counts = new Map<string, number>();
  for (const s of statements) for (const t of new Set(contentTerms(s.sentence))) counts.set(t, (counts.get(t) ?? 0) + 1);
  return { counts, excluded: excludedNames.map((n) => n.toLowerCase()), phrases: new Map() };
}

/** The phrase the price sentence itself puts on the priced thing, best first. */
function inSentence(price: PriceMention, context: NamingContext): Array<{ p: Phrase; score: number }> {
  const sentence = price.statement.sentence;
  const at = price.mention.index;
  return phrasesIn(sentence, context)
    .filter((p) => !(p.index >= at && p.index < at + price.mention.length))
    .map((p) => {
      const between = p.index < at ? sentence.slice(p.index + p.text.length, at) : sentence.slice(at + price.mention.length, p.index);
      let score = p.specific ? 2 : 0.5;
      // "X is / would be / comes to $N", "X: $N", "X at $N": the subject is what costs N.
      if (p.index < at && /\b(?:is|are|was|would be|will be|comes? to|came to|costs?|at|runs?|totals?)\b[^.;]{0,40}$|:\s*[^.;]{0,40}$/i.test(between))
        score += 2;
      // "$N for the X", "quoted $N for X"; a phrase after the amount without that link is context.
      if (
        p.index > at &&
        /^\s*(?:a year |per year |annually |a month |per month |in total |total |fixed |all in )?(?:for|on|covering|to cover)\s+(?:the\s+|a\s+|an\s+|our\s+|your\s+)?$/i.test(
          between,
        )
      )
        score += 1.5;
      else if (p.index > at) score -= 1.5;
      // "for a credit union your size" describes the buyer.
      if (/^\s+(?:of\s+)?your size|^\s+like (?:you|yours)/i.test(sentence.slice(p.index + p.text.length))) score -= 3;
      if (
        p.index < at &&
        /\b(?:pitched|quoted|proposed|offered|priced)\s+(?:the\s+|a\s+|an\s+|our\s+)?$/i.test(sentence.slice(Math.max(0, p.index - 20), p.index))
      )
        score += 1.5;
      // In "an agreement across the platform and the workloads would be...", the subject is the agreement.
      if (
        p.index < at &&
        /\b(?:across|of|with|in|on|to|from|at|by|and|including|plus|over)\s+(?:the\s+|a\s+|an\s+|our\s+|your\s+|all\s+)?$/i.test(
          sentence.slice(Math.max(0, p.index - 25), p.index),
        )
      )
        score -= 1.5;
      return { p, score: score - Math.abs(p.index - at) / 400 };
    })
    .sort((a, b) => b.score - a.score);
}

const OFFER_VERBS =
  /\b(?:we'?d|we would|we can|we could|our|we offer|we provide|we run|we help|we do|we'll|we will|proposal|propose|quote|pitch|recommend|replace|fit|install|deploy|roll out|migrate|would cover|covers|includes?)\b/i;

/** The description of the offer before the price (within a few turns), when the price sentence names it only generically. */
function described(price: PriceMention, statements: readonly Statement[], context: NamingContext): { phrase: Phrase; statement: Statement } | null {
  const at = price.statement.at;
  let best: { phrase: Phrase; statement: Statement; score: number } | null = null;
  // Descriptions come before the price; the next line may already price something else.
  for (const s of statements.slice(Math.max(0, at - 25), at)) {
    const offerLike = OFFER_VERBS.test(s.sentence) ? 1 : 0;
    for (const phrase of phrasesIn(s.sentence, context)) {
      // "our own internal media asset system, which our engineers built": the buyer's, not for sale.
      if (/^own\b/i.test(phrase.text) || /\b(?:own|in-house|homegrown|home-grown)\s+$/i.test(s.sentence.slice(Math.max(0, phrase.index - 12), phrase.index)))
        continue;
      // A description names an offer in more than one word ("managed analytics retainer"), or by an acronym.
      if (!phrase.specific || (phrase.text.split(/\s+/).length < 2 && !/^[A-Z]{2,}/.test(phrase.text))) continue;
      // "the fleet telemetry analytics platform", "our predictive maintenance service": a qualified product word names the offer.
      const namedOffer = GENERIC_HEADS.has(phrase.text.toLowerCase().split(/\s+/).pop() ?? "") && phrase.text.split(/\s+/).length >= 2 ? 1.5 : 0;
      // "...one more service we offer: a managed analytics retainer. It's 15,000 dollars a month.": the same turn, just before.
      const sameTurn = s.utterance === price.statement.utterance ? 2 : 0;
      const score = salience(phrase, context.counts) + offerLike + namedOffer + sameTurn + (s.seller ? 0.5 : 0) - Math.abs(at - s.at) * 0.04;
      if (best === null || score > best.score) best = { phrase, statement: s, score };
    }
  }
  return best;
}

/** "Terminal refresh: 520 units, €415.000": a line that labels what it prices. */
const LABELLED_LINE = /^(?:\d+[.)]\s*)?([A-Z][\w'’ -]{2,60}?):\s+(?=.*\d)/;

export function offeringOf(price: PriceMention, statements: readonly Statement[], context: NamingContext): Offering {
  const label = LABELLED_LINE.exec(price.statement.sentence)?.[1];
  // A label is a few words naming a thing ("Device refresh"), not a clause ("I've read the proposal").
  const isLabel =
    label !== undefined && label.split(/\s+/).length <= 5 && !/\b(?:I|I've|I'm|we|we've|you|that's|it's|and|is|are|was|what|read|sent|said)\b/i.test(label);
  if (isLabel && contentTerms(label).some((t) => !NOT_OFFERINGS.has(t)) && !context.excluded.includes(label.toLowerCase())) {
    return { name: formatName(label.trim()), described: null, specific: true };
  }
  const [own] = inSentence(price, context).filter((x) => !/^\s+(?:of\s+)?your size/i.test(price.statement.sentence.slice(x.p.index + x.p.text.length)));
  // A phrase the price sentence ties to the amount; one merely near it is context.
  if (own?.p.specific && own.score >= 1.5) return { name: formatName(own.p.text), described: null, specific: true };
  const qualified = own && !own.p.specific ? qualifiedHead(own.p, price.statement.sentence, context) : null;
  if (qualified) return { name: formatName(qualified), described: null, specific: true };
  const earlier = described(price, statements, context);
  if (earlier) {
    // "the full rollout" of what was described: keep the description's name.
    return { name: formatName(earlier.phrase.text), described: earlier.statement, specific: true };
  }
  if (own?.p.specific) return { name: formatName(own.p.text), described: null, specific: true };
  return { name: formatName(own?.p.text ?? "Offering"), described: null, specific: false };
}

/**
 * "For Palisade Cloud WMS across six sites, the subscription is ...", "the licence for the
 * scheduling add-on is ...": a generic head the sentence ties to a named thing is that thing's
 * subscription, licence or service.
 */
function qualifiedHead(generic: Phrase, sentence: string, context: NamingContext): string | null {
  const head = generic.text.toLowerCase().split(/\s+/).pop() ?? "";
  if (!GENERIC_HEADS.has(head)) return null;
  const named = phrasesIn(sentence, context).find((p) => {
    if (!p.specific || p === generic) return false;
    const before = sentence.slice(0, p.index);
    const fronted = p.index < generic.index && /^\s*(?:and\s+|so\s+)?(?:for|on)\s+(?:the\s+|a\s+|an\s+|our\s+|your\s+)?$/i.test(before);
    const following =
      p.index > generic.index &&
      /^\s*(?:for|of|on)\s+(?:the\s+|a\s+|an\s+|our\s+|your\s+)?$/i.test(sentence.slice(generic.index + generic.text.length, p.index));
    return fronted || following;
  });
  if (!named) {
    // "For 40,000 tapes, our price is AUD 640,000 for the whole programme": what is counted is what the programme handles.
    const counted = /\bfor (?:about |around |roughly )?[\d][\d,.]*\s+([a-z][a-z-]{2,})s\b/i.exec(sentence)?.[1];
    return counted && !NOT_OFFERINGS.has(`${counted.toLowerCase()}s`) && !NOT_OFFERINGS.has(counted.toLowerCase()) ? `${counted} ${head}` : null;
  }
  const namedHead = named.text.toLowerCase().split(/\s+/).pop() ?? "";
  return GENERIC_HEADS.has(namedHead) ? named.text : `${named.text} ${head}`;
}

const NOT_OFFERING_TERMS = new Set([...NOT_OFFERINGS].map((w) => contentTerms(w)[0] ?? w));

/** The words of an offering's name that can tell it apart in talk ("yard", "management" of "Yard management module"). */
export function nameTerms(name: string, excluded: readonly string[]): string[] {
  const excludedTerms = new Set(excluded.flatMap((n) => contentTerms(n)));
  return contentTerms(name).filter((t) => t.length > 2 && !NOT_OFFERING_TERMS.has(t) && !excludedTerms.has(t) && !TIME_WORDS.test(t));
}

export function formatName(text: string): string {
  const words = text.split(/\s+/).slice(0, 9).join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The most salient specific phrase of a statement that shows interest in an offer without pricing it. */
export function offeringIn(statement: Statement, context: NamingContext): Offering | null {
  const best = phrasesIn(statement.sentence, context)
    .filter((p) => p.specific)
    .sort((a, b) => salience(b, context.counts) - salience(a, context.counts))[0];
  return best ? { name: formatName(best.text), described: statement, specific: true } : null;
}
