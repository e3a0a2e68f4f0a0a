import type { ExtractedDeal } from "@dealgraph/extraction";
import { extractActionItemsByRules } from "../action-item-rules";
import { qualify, type ScopedSentence } from "../qualification-rules";
import type { SemanticCues } from "../semantic-cues";
import { contentTerms, jaccard } from "../text-features";
import type { Participants, Utterance } from "../transcript";
import { championOf, economicBuyerOf } from "./deal-people";
import { closesDeal, stageOf } from "./deal-stage";
import { nameTerms, namingContext, offeringIn, offeringOf, type NamingContext, type Offering } from "./offering-names";
import { budgetMentions, priceMentions, type PriceMention } from "./price-statements";
import { isQuestion, statementsOf, type Statement } from "./statements";

/*
 * Deals by rule: whatever is priced in the conversation is a deal, named after what the price is
 * for; prices of one thing (an annual fee and its three-year total, a restated figure) are one
 * deal. Each deal is qualified from the stretch of conversation around its prices; in a call
 * about one deal, from the whole call. A deal the account already has is returned under its
 * stored name when the conversation continues it, even without a price ("the proposal",
 * "the contract") when it is the only one.
 */

const WINDOW = 8;

interface DealGroup {
  offering: Offering;
  prices: PriceMention[];
  /** The stored name of the account's deal this one continues. */
  known: string | null;
}

function sameThing(group: DealGroup, price: PriceMention, offering: Offering): boolean {
  const first = group.prices[0]!;
  // Two figures in one sentence price one thing ("£1.2m over three years, so £400k a year")
  // unless the second names something else ("... and the migration services are a fixed 140,000").
  if (
    group.prices.some((p) => p.statement === price.statement) &&
    (offering.described !== null || !offering.specific || jaccard(contentTerms(offering.name), contentTerms(group.offering.name)) >= 0.3)
  )
    return true;
  if (offering.specific && group.offering.specific && jaccard(contentTerms(offering.name), contentTerms(group.offering.name)) >= 0.5) return true;
  // A figure said again ("the £96,500 a year doesn't change") is the same deal.
  if (group.prices.some((p) => Math.abs(p.value - price.value) <= 0.005 * p.value && p.currency === price.currency)) return true;
  // "..., so £400k a year" restates the sentence before it.
  return !offering.specific && price.statement.at - first.statement.at <= 1;
}

const STAGE_TALK =
  /\b(?:pilot|trial|proof of concept|evaluat\w*|vendor|competitor|in the picture|steering committee|production|go(?:es)? live|went live|roll ?out)\b/i;

/**
 * "the module" or "the billing module" for a known "Cloud billing module";
 * a bare head word two known deals share ("the plan" of two care plans) refers to neither.
 */
function refersTo(known: string, sentence: string, knownDeals: readonly string[]): boolean {
  const words = known.toLowerCase().split(/\s+/);
  const head = words[words.length - 1];
  if (!head || head.length < 4) return false;
  const shared = knownDeals.filter((k) => k.toLowerCase().split(/\s+/).pop() === head).length > 1;
  if (shared) return knownDealFor("", sentence, [known], 0.67) !== null;
  const modifiers = words
    .slice(0, -1)
    .map((w) => w.replace(/[^\p{L}-]/gu, ""))
    .filter((w) => w.length > 2)
    .join("|");
  const pattern = modifiers ? `\\bthe (?:(?:${modifiers}) )?${head}\\b` : `\\bthe ${head}\\b`;
  return new RegExp(pattern, "i").test(sentence);
}

const DEAL_TALK =
  /\b(?:price|pricing|quote|proposal|contract|order|deal|renewal|discount|budget|sign|signed|approve|approved|decided|decision|go ahead|move forward|terms|purchase|buy|invoice)\w*/i;

function knownDealFor(name: string, text: string, knownDeals: readonly string[], share = 0.5): string | null {
  const terms = contentTerms(`${name} ${text}`);
  let best: { known: string; score: number } | null = null;
  for (const known of knownDeals) {
    const knownTerms = contentTerms(known);
    const shared = knownTerms.filter((t) => terms.includes(t)).length;
    const score = knownTerms.length === 0 ? 0 : shared / knownTerms.length;
    if (score >= share && (best === null || score > best.score)) best = { known, score };
  }
  return best?.known ?? null;
}

const REFERS_TO_A_DEAL =
  /\b(?:the|our|your|that) (?:proposal|quote|contract|order form|agreement|deal|pricing|renewal|sow|statement of work|po|purchase order|project|programme|rollout|pilot|poc|proof of concept)\b|\b(?:sign(?:ed)?|countersign(?:ed)?|go(?:ing)? with|decided|picked|chose|move forward)\b/i;

function groupPrices(prices: readonly PriceMention[], statements: readonly Statement[], context: NamingContext): DealGroup[] {
  const groups: DealGroup[] = [];
  for (const price of prices) {
    const offering = offeringOf(price, statements, context);
    const group = groups.find((g) => sameThing(g, price, offering));
    if (group) {
      group.prices.push(price);
      if (!group.offering.specific && offering.specific) group.offering = offering;
    } else {
      groups.push({ offering, prices: [price], known: null });
    }
  }
  return groups;
}

/** Groups that continue the same known deal become one, keeping the first group's offering. */
function mergeKnown(groups: readonly DealGroup[]): DealGroup[] {
  const merged: DealGroup[] = [];
  for (const group of groups) {
    const same = group.known === null ? undefined : merged.find((m) => m.known === group.known);
    if (same) same.prices.push(...group.prices);
    else merged.push(group);
  }
  return merged;
}

/**
 * No price was said: a buyer's budget for the offer is its value, and an offer the buyer asks to
 * pilot, trial, see a proposal for, or that the seller pitches, is a deal at its first stage.
 */
const PITCH =
  /\b(?:we help|we work with|we provide|we offer|we specialise in|we specialize in|our [\w-]+ (?:[\w-]+ )?(?:platform|service|module|product|solution|offering))\b/i;
const ASKS_FOR_OFFER =
  /\b(?:interested in|looking for (?:a|an)|would like (?:a|an) (?:proposal|quote|demo)|send (?:us|me) (?:a|an) (?:proposal|quote)|(?:pilot|trial|evaluate|test|try|buy|license) (?:your|the|a|an))\b/i;
function unpricedInterest(statements: readonly Statement[], budgets: readonly PriceMention[], naming: NamingContext): DealGroup[] {
  if (budgets.length > 0) return groupPrices(budgets.slice(0, 1), statements, naming);
  for (const statement of statements) {
    // ... or a buyer closing it either way without a price ("we're going with another vendor for the LMS migration").
    const interest =
      (statement.seller !== false && PITCH.test(statement.sentence)) ||
      (statement.seller !== true && (ASKS_FOR_OFFER.test(statement.sentence) || closesDeal(statement.sentence)));
    if (isQuestion(statement) || !interest) continue;
    const offering = offeringIn(statement, naming);
    if (offering) return [{ offering, prices: [], known: null }];
  }
  return [];
}

/** "a customer data platform" for a deal named "CDP": as many words of the sentence name it as the acronym has letters. */
function spelledAcronymWords(name: string, sentence: string): number {
  const acronym = /\b([A-Z]{3,5})s?\b/.exec(name)?.[1];
  if (!acronym) return 0;
  const initials = sentence
    .split(/[\s-]+/)
    .map((w) =>
      w
        .replace(/[^\p{L}]/gu, "")
        .charAt(0)
        .toUpperCase(),
    )
    .join("");
  return initials.includes(acronym) ? acronym.length : 0;
}

const ALL_DEALS = /\b(?:on|for|of|to|signs?|approves?|owns?) (?:both|each(?! other)|either|all (?:of them|three|two|the options|of these))\b/i;

/**
 * Each deal's stretch of the conversation. A sentence that names one deal ("so the WMS is Gail's
 * decision", "the yard module I can approve myself") is that deal's, wherever it falls; one that
 * names none belongs to the deal whose prices or description are nearest, within a few sentences.
 */
function scopesOf(groups: readonly DealGroup[], statements: readonly Statement[], excluded: readonly string[]): Map<DealGroup, Statement[]> {
  const scopes = new Map(groups.map((g) => [g, [] as Statement[]]));
  if (groups.length === 1) {
    scopes.set(groups[0]!, [...statements]);
    return scopes;
  }
  const terms = groups.map((g) => nameTerms(`${g.known ?? ""} ${g.offering.name}`, excluded));
  // Only words no other deal's name shares tell the deals apart.
  const distinctive = terms.map((own, i) => own.filter((t) => !terms.some((other, j) => j !== i && other.includes(t))));
  const anchorsOf = (g: DealGroup) => [...g.prices.map((p) => p.statement.at), ...(g.offering.described ? [g.offering.described.at] : [])];
  const anchors = new Set(groups.flatMap(anchorsOf));
  const nearestOf = (candidates: readonly DealGroup[], at: number): DealGroup[] => {
    let nearest: { group: DealGroup; distance: number } | null = null;
    for (const g of candidates) {
      for (const anchor of anchorsOf(g)) {
        const distance = Math.abs(anchor - at);
        if (distance <= WINDOW && (nearest === null || distance < nearest.distance)) nearest = { group: g, distance };
      }
    }
    return nearest ? [nearest.group] : [];
  };
  // An unanchored sentence continues the one before it in the same turn ("Pieter signs off on
  // both. I'm the one pushing for this internally"); a turn's first one goes to the nearest deal.
  let previous: { utterance: Statement["utterance"]; groups: DealGroup[] } | null = null;
  for (const s of statements) {
    const words = new Set(contentTerms(s.sentence));
    // A sentence naming two deals is about the one it names more fully ("pushing for the planning suite since the audit").
    const hits = distinctive.map((own, i) => own.filter((t) => words.has(t)).length + spelledAcronymWords(groups[i]!.offering.name, s.sentence));
    const most = Math.max(...hits);
    const named = most === 0 ? [] : groups.filter((_, i) => hits[i] === most);
    let owners: DealGroup[];
    if (ALL_DEALS.test(s.sentence)) owners = [...groups];
    else if (named.length === 1) owners = named;
    else if (named.length === 0 && previous?.utterance === s.utterance && !anchors.has(s.at)) owners = previous.groups;
    else owners = nearestOf(named.length > 1 ? named : groups, s.at);
    for (const g of owners) scopes.get(g)!.push(s);
    previous = { utterance: s.utterance, groups: owners };
  }
  return scopes;
}

const scoped = (statements: readonly Statement[]): ScopedSentence[] =>
  statements.map((s) => ({ utterance: s.utterance, sentence: s.sentence, earlier: s.utterance.sentences.slice(0, s.utterance.sentences.indexOf(s.sentence)) }));

/**
 * The deal in the conversation's own words: how the offer was described and how it was priced.
 * No template sentence ("X offered Y to Z"): text every deal of an account shares would pull
 * their embeddings together, and matching tells deals apart by them.
 */
function summaryOf(name: string, group: DealGroup, seller: string | null, buyer: string | null, stage: string): string {
  const price = group.prices[0];
  const parts: string[] = [];
  if (group.offering.described) parts.push(group.offering.described.sentence);
  if (price && price.statement !== group.offering.described) parts.push(price.statement.sentence);
  if (parts.length === 0)
    parts.push(`${name}${seller ? `, offered by ${seller}` : ""}${buyer ? ` to ${buyer}` : ""}, at the ${stage.replace("_", " ")} stage.`);
  return parts.join(" ").replace(/\s+/g, " ").slice(0, 1100);
}

export function extractDealsByRules(
  utterances: readonly Utterance[],
  participants: Participants,
  options: { targeted: boolean; knownDeals?: readonly string[]; semantic?: SemanticCues },
): ExtractedDeal[] {
  const knownDeals = options.knownDeals ?? [];
  const statements = statementsOf(utterances, participants);
  const buyer = participants.buyerOrganization(utterances);
  const excluded = [...participants.people.flatMap((p) => [p.name, ...p.name.split(/\s+/)]), participants.sellerOrganization, buyer].filter(
    (n): n is string => n !== null && n.length > 2,
  );
  const sellerNames = [participants.sellerOrganization, ...participants.people.filter((p) => participants.isSeller(p.name)).map((p) => p.name)].filter(
    (n): n is string => n !== null,
  );
  const naming = namingContext(statements, excluded);
  const budgets = budgetMentions(statements, sellerNames);
  let groups = groupPrices(priceMentions(statements, sellerNames), statements, naming);
  if (groups.length === 0 && knownDeals.length === 0) groups = unpricedInterest(statements, budgets, naming);
  const whole = statements.map((s) => s.sentence).join(" ");

  for (const group of groups) {
    const own = [...group.prices.map((p) => p.statement.sentence), group.offering.described?.sentence ?? ""].join(" ");
    group.known = knownDealFor(group.offering.name, own, knownDeals);
    // "Yes, the tiered pricing: £142,000..." after "the revised proposal with the consumption
    // tiers": a price the sentence names only generically continues the known deal its exchange echoes.
    const generic = !group.offering.specific || group.offering.described !== null;
    const first = group.prices[0];
    if (group.known === null && generic && first) {
      const exchange = statements
        .slice(Math.max(0, first.statement.at - 2), first.statement.at + 1)
        .map((s) => s.sentence)
        .join(" ");
      group.known = knownDealFor("", exchange, knownDeals, Number.MIN_VALUE);
    }
  }
  // An account with one open deal, and a conversation about one priced thing: the same deal
  // carried on (a revised proposal, a restated figure), unless the call says it is another one.
  const [single] = groups;
  if (
    knownDeals.length === 1 &&
    groups.length === 1 &&
    single &&
    single.known === null &&
    !/\b(?:another|separate|second|new|additional) (?:deal|opportunity|project|offer|quote)\b/i.test(whole)
  ) {
    single.known = knownDeals[0]!;
  }
  // Two figures continuing one known deal are one deal.
  groups = mergeKnown(groups);
  // A price of nothing the conversation names is no deal (unless it continues a known one).
  groups = groups.filter((g) => g.offering.specific || g.known !== null);
  // A known deal the conversation continues without pricing it again.
  // ... named in a sentence that says something about the deal (its terms, its paperwork, its
  // stage), or referred to by its own head word ("the platform", "the migration we discussed").
  // A sentence that prices another offering ("an agreement across the platform would be...") is about that offering.
  const pricing = new Set(groups.flatMap((g) => g.prices.map((p) => p.statement)));
  const referenceTo = (known: string) =>
    statements.find(
      (s) =>
        !pricing.has(s) &&
        (DEAL_TALK.test(s.sentence) || STAGE_TALK.test(s.sentence)) &&
        (knownDealFor("", s.sentence, [known], 0.67) !== null || refersTo(known, s.sentence, knownDeals)),
    ) ?? null;
  const continued = knownDeals.filter((known) => !groups.some((g) => g.known === known) && referenceTo(known) !== null);
  const onlyKnown = knownDeals.length === 1 && groups.length === 0 && REFERS_TO_A_DEAL.test(whole) ? knownDeals : [];
  for (const known of new Set([...continued, ...onlyKnown])) {
    // The sentence that refers to it anchors its stretch of the conversation.
    groups.push({ offering: { name: known, described: referenceTo(known), specific: true }, prices: [], known });
  }
  // A targeted interaction is about its one deal, priced or not.
  if (options.targeted && groups.length === 0) {
    const offering = knownDeals[0]
      ? { name: knownDeals[0], described: null, specific: true }
      : statements.map((s) => offeringIn(s, naming)).find((o) => o !== null);
    if (offering) groups.push({ offering, prices: [], known: knownDeals[0] ?? null });
  }
  // A deal carried on without a new price takes the budget the buyer states for it.
  const pricedScopes = scopesOf(groups, statements, excluded);
  for (const group of groups) {
    if (group.prices.length > 0) continue;
    const scope = pricedScopes.get(group)!;
    const budget = budgets.find((b) => scope.includes(b.statement));
    if (budget) group.prices.push(budget);
  }
  if (options.targeted && groups.length > 1) {
    groups = [groups.find((g) => g.known !== null) ?? groups.sort((a, b) => b.prices.length - a.prices.length)[0]!];
  }

  const buyerCommitments = extractActionItemsByRules(utterances, participants)
    .filter((item) => item.owner_name !== null && !participants.isSeller(item.owner_name) && item.quote !== null)
    .map((item) => item.quote ?? "");

  // Each deal's stretch of the conversation, once: the people rules read every other deal's too.
  const scopes = scopesOf(groups, statements, excluded);
  return groups.map((group): ExtractedDeal => {
    const name = group.known ?? group.offering.name;
    const scope = scopes.get(group)!;
    // The largest figure of one thing: its total value when both a yearly and a total figure were said.
    const price = [...group.prices].sort((a, b) => b.value - a.value)[0];
    const q = qualify(scoped(scope), { participants, buyerCommitments, budgetCoversPrice: false, semantic: options.semantic });
    // Stage moves stay with cue words: measured on the labelled set, the sentence model's reading
    // of "lost" and "won" moved more deals wrongly than it caught (stage 85 % -> 78 %).
    const stage = stageOf(scope, group.prices.length > 0 || group.known !== null);
    // Outside its own stretch, a deal may take what no other deal's stretch says (the CFO who signs for one deal is not the other's).
    const unclaimed = groups.length === 1 ? statements : statements.filter((s) => !groups.some((g) => g !== group && scopes.get(g)!.includes(s)));
    const amount = price?.value ?? null;
    const economicBuyer = economicBuyerOf(scope, statements, participants, amount) ?? economicBuyerOf(unclaimed, statements, participants, amount);
    const champion = championOf(scope, statements, participants) ?? championOf(unclaimed, statements, participants);
    const meddic = { ...q.meddic, economic_buyer: economicBuyer, champion };
    const speaks = (evidence: typeof champion) => evidence !== null && statements.some((s) => s.speaker !== null && evidence.text.startsWith(s.speaker));
    const ontology = {
      ...q.ontology,
      // Access to the buyer and the champion's strength follow who they are: heard on the call, named, or only a role.
      champion_strength: champion ? { score: speaks(champion) ? 3 : 2, confidence: 0.6, evidence: champion.quote } : q.ontology.champion_strength,
      economic_buyer_access: economicBuyer
        ? { score: speaks(economicBuyer) ? 3 : economicBuyer.confidence >= 0.7 ? 2 : 1, confidence: 0.6, evidence: economicBuyer.quote }
        : q.ontology.economic_buyer_access,
    };
    const filled = Object.values(meddic).filter((entry) => entry !== null).length;
    return {
      name,
      summary: summaryOf(name, group, participants.sellerOrganization, buyer, stage.stage),
      stage: stage.stage,
      stage_evidence: stage.evidence,
      amount: price?.value ?? null,
      currency: price?.currency ?? null,
      close_timeframe: q.closeTimeframe,
      meddic,
      ontology,
      confidence: Math.min(0.95, 0.5 + (price ? 0.2 : 0) + (economicBuyer ? 0.1 : 0) + (group.prices.length > 1 ? 0.1 : 0)),
      reasoning: [
        price ? `Priced in: "${price.statement.sentence}"` : `Continues the account's deal "${name}".`,
        group.offering.described ? `Offer described in: "${group.offering.described.sentence}"` : "",
        `${filled} of 8 qualification fields have evidence.`,
      ]
        .filter((part) => part !== "")
        .join(" "),
    };
  });
}
