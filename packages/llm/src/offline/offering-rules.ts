import { findMoneyMentions, type MoneyMention } from "@dealgraph/extraction";
import { capitalizeFirst, contentTerms } from "./text-features";
import type { Participants, Utterance } from "./transcript";

/*
 * What is being sold, and for how much. An offering is a noun phrase ending in a commercial head
 * word ("fleet telemetry analytics platform", "premium support plan", "three-year committed
 * spend agreement"). Contract documents (an MSA, a statement of work) and work plans are not
 * offerings. Money in the conversation is read as a price, a budget, the cost of the buyer's
 * problem or a threshold, and only prices and budgets attach to an offering.
 */

const HEADS = "platform|plan|subscription|agreement|license|licence|suite|package|bundle|edition|tier|add-on|renewal|retainer";
const HEAD = new RegExp(String.raw`\b(${HEADS})s?\b`, "gi");
const NEXT_IS_HEAD = new RegExp(String.raw`^\s+(${HEADS})s?\b`, "i");
const PRODUCT_HEADS = new Set(["platform", "suite", "package", "bundle", "edition", "tier", "add-on"]);
const COMMERCIAL_TAILS = new Set(["subscription", "license", "licence", "plan", "renewal"]);

const MODIFIER_STOP = new Set(
  ("a an the our your their my his her its this that these those of for to with on in at by from and or but " +
    "is are was were be been would could should will can may about around any some what which who that's it's " +
    "we you they i he she it there here also just only really very so as if than then into over under per each every").split(" "),
);
const GENERIC_MODIFIERS = new Set(
  "annual yearly monthly new current whole entire full same basic first other one overall existing standard proposed".split(" "),
);
const DOCUMENT = /\b(master (?:services? )?agreement|service[- ]level agreement|non-disclosure agreement|data processing agreement|confidentiality agreement|statement of work|order form)\b/i;
const WORK_PLAN = /\b(migration|project|action|business|test|rollout|implementation|onboarding|communication|success|transition|account|mutual|pilot|training|resource|staffing|capacity)\s+plan\b/i;
const BUY_SIGNAL = /\b(pilot|trial|proposal|quote|evaluat\w*|interested in|looking at|purchase|buy|buying|sign up|upgrade|expand|renew\w*|pricing)\b/i;

export interface OfferingMention {
  utterance: number;
  sentence: string;
  /** Offset of the phrase in the sentence. */
  index: number;
  phrase: string;
  terms: string[];
  generic: boolean;
  bySeller: boolean;
  buySignal: boolean;
  /** The known deal a bare reference ("the platform") stands for. */
  known: string | null;
}

export type MoneyKind = "price" | "budget" | "pain" | "threshold" | "other";

export interface SpokenMoney {
  utterance: number;
  sentence: string;
  mention: MoneyMention;
  kind: MoneyKind;
}

function phraseBefore(sentence: string, headEnd: number): { phrase: string; index: number; modifiers: string[] } {
  const words = sentence.slice(0, headEnd).split(/\s+/);
  const head = words.pop() ?? "";
  const modifiers: string[] = [];
  while (words.length > 0 && modifiers.length < 5) {
    const word = words[words.length - 1] ?? "";
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(word) || MODIFIER_STOP.has(word.toLowerCase())) break;
    modifiers.unshift(word);
    words.pop();
  }
  const phrase = [...modifiers, head.replace(/[^A-Za-z-]/g, "")].join(" ");
  return { phrase, index: sentence.slice(0, headEnd).length - phrase.length, modifiers };
}

const headOf = (phrase: string) => (phrase.toLowerCase().split(" ").pop() ?? "").replace(/s$/, "");

/**
 * A bare reference ("the platform", "our subscription") names a known deal when exactly one
 * known deal has that head word, and the sentence names no other offering (in "an agreement
 * across the platform" the platform is part of the agreement, not the subject).
 */
function resolveKnown(mentions: OfferingMention[], knownDeals: readonly string[]): OfferingMention[] {
  return mentions.map((mention) => {
    if (!mention.generic) return mention;
    const candidates = knownDeals.filter((name) => headOf(name) === headOf(mention.phrase));
    const explicitNearby = mentions.some((m) => m !== mention && !m.generic && m.sentence === mention.sentence && m.utterance === mention.utterance);
    const [name] = candidates;
    if (candidates.length !== 1 || name === undefined || explicitNearby) return mention;
    return { ...mention, phrase: name, terms: contentTerms(name), generic: false, known: name };
  });
}

export function findOfferings(utterances: readonly Utterance[], participants: Participants, knownDeals: readonly string[] = []): OfferingMention[] {
  const mentions: OfferingMention[] = [];
  for (const u of utterances) {
    for (const sentence of u.sentences) {
      for (const m of sentence.matchAll(HEAD)) {
        const headEnd = m.index + m[0].length;
        // "platform subscription": keep the longer phrase only.
        if (NEXT_IS_HEAD.test(sentence.slice(headEnd))) continue;
        const { phrase, index, modifiers } = phraseBefore(sentence, headEnd);
        if (DOCUMENT.test(phrase) || WORK_PLAN.test(phrase)) continue;
        const lowered = modifiers.map((w) => w.toLowerCase());
        mentions.push({
          utterance: u.index,
          sentence,
          index,
          phrase,
          terms: contentTerms(phrase),
          generic: lowered.length === 0 || lowered.every((w) => GENERIC_MODIFIERS.has(w)),
          bySeller: participants.isSeller(u.speaker),
          buySignal: BUY_SIGNAL.test(sentence),
          known: null,
        });
      }
    }
  }
  return resolveKnown(mentions, knownDeals);
}

const PAIN_MONEY =
  /\b(costs? us|costing us|cost them|we (?:lose|lost|waste|wasted|spend|spent|pay|paid)|fees?|penalt\w*|losing|lost|wasted|ran (?:about|around|us|to)|overruns?|damages|write-?offs?|leakage)\b/i;
const BUDGET_MONEY = /\b(budget\w*|approved|allocated|set aside|up to|cap(?:ped)? at)\b/i;
const PRICE_MONEY =
  /\b(would be|will be|comes? to|costs?|price\w*|pricing|quote\w*|subscription|per (?:year|month|seat|user|asset|truck)|a (?:year|month)|annual\w*|in total|total|licen[cs]e|fee|list|discount\w*)\b/i;
const THRESHOLD_BEFORE = /\b(over|above|more than|exceeds?|exceeding|under|below|less than|at least|beyond)\s*$/i;

export function classifyMoney(sentence: string, mention: MoneyMention, bySeller: boolean): MoneyKind {
  if (THRESHOLD_BEFORE.test(sentence.slice(Math.max(0, mention.index - 20), mention.index))) return "threshold";
  if (PAIN_MONEY.test(sentence)) return "pain";
  if (BUDGET_MONEY.test(sentence)) return "budget";
  if (bySeller || PRICE_MONEY.test(sentence)) return "price";
  return "other";
}

export function findMoney(utterances: readonly Utterance[], participants: Participants): SpokenMoney[] {
  const found: SpokenMoney[] = [];
  for (const u of utterances) {
    for (const sentence of u.sentences) {
      for (const mention of findMoneyMentions(sentence)) {
        found.push({ utterance: u.index, sentence, mention, kind: classifyMoney(sentence, mention, participants.isSeller(u.speaker)) });
      }
    }
  }
  return found;
}

/** A group of mentions that name the same offering, with what it costs. */
export interface OfferingGroup {
  mentions: OfferingMention[];
  price: SpokenMoney | null;
  budget: SpokenMoney | null;
}

function sameOffering(a: readonly string[], b: readonly string[]): boolean {
  const setB = new Set(b);
  const setA = new Set(a);
  return a.every((t) => setB.has(t)) || b.every((t) => setA.has(t));
}

/**
 * The group's name: a known deal's stored name when the group is that deal (so the match is
 * exact), else the seller's longest phrase, with "platform subscription" shortened to "platform".
 */
export function offeringName(group: OfferingGroup, knownDeals: readonly string[] = []): string {
  const known = knownOf(group, knownDeals);
  if (known !== null) return known;
  const specific = group.mentions.filter((m) => !m.generic);
  const pool = specific.some((m) => m.bySeller) ? specific.filter((m) => m.bySeller) : specific;
  const best = [...pool].sort((a, b) => b.terms.length - a.terms.length || a.utterance - b.utterance)[0];
  const words = (best?.phrase ?? "offering").split(" ");
  const last = words[words.length - 1]?.toLowerCase() ?? "";
  const previous = words[words.length - 2]?.toLowerCase() ?? "";
  if (words.length > 2 && COMMERCIAL_TAILS.has(last) && PRODUCT_HEADS.has(previous)) words.pop();
  return capitalizeFirst(words.join(" "));
}

/** The known deal this group continues: a reference resolved to it, or the same offering terms. */
export function knownOf(group: OfferingGroup, knownDeals: readonly string[]): string | null {
  const referenced = group.mentions.find((m) => m.known !== null)?.known;
  if (referenced) return referenced;
  const terms = group.mentions.filter((m) => !m.generic).map((m) => m.terms);
  const matches = knownDeals.filter((name) => terms.some((t) => t.length > 0 && sameOffering(t, contentTerms(name))));
  return matches.length === 1 ? (matches[0] ?? null) : null;
}

export function groupOfferings(mentions: readonly OfferingMention[], money: readonly SpokenMoney[]): OfferingGroup[] {
  const groups: OfferingGroup[] = [];
  for (const mention of mentions.filter((m) => !m.generic)) {
    const group = groups.find((g) => g.mentions.some((m) => sameOffering(m.terms, mention.terms)));
    if (group) group.mentions.push(mention);
    else groups.push({ mentions: [mention], price: null, budget: null });
  }
  const specific = (m: OfferingMention) => groups.find((g) => g.mentions.includes(m));
  const latestBefore = (utterance: number, window: number) =>
    [...mentions]
      .filter((m) => !m.generic && m.utterance <= utterance && m.utterance >= utterance - window)
      .sort((a, b) => b.utterance - a.utterance)[0];
  for (const spoken of money) {
    if (spoken.kind !== "price" && spoken.kind !== "budget") continue;
    const inSentence = mentions.filter((m) => m.sentence === spoken.sentence && m.utterance === spoken.utterance);
    const named = inSentence.filter((m) => !m.generic);
    const target =
      named.sort((a, b) => Math.abs(a.index - spoken.mention.index) - Math.abs(b.index - spoken.mention.index))[0] ??
      latestBefore(spoken.utterance, 2) ??
      (inSentence.length > 0 || spoken.kind === "price" ? latestBefore(spoken.utterance, Number.MAX_SAFE_INTEGER) : undefined) ??
      mentions.find((m) => !m.generic && m.utterance > spoken.utterance && m.utterance <= spoken.utterance + 2);
    const group = target ? specific(target) : undefined;
    if (!group) continue;
    if (spoken.kind === "price") group.price = spoken;
    else group.budget = spoken;
  }
  return groups;
}
