import type { ExtractedDeal } from "@dealgraph/extraction";
import { extractActionItemsByRules } from "./action-item-rules";
import { findMoney, findOfferings, groupOfferings, knownOf, offeringName, type OfferingGroup } from "./offering-rules";
import { qualify, type ScopedSentence } from "./qualification-rules";
import type { Participants, Utterance } from "./transcript";

/*
 * Deals by rule: every offering that has a price or a budget attached, or that the buyer is
 * evaluating, piloting or asking a proposal for, is a deal. The conversation is then cut into
 * the stretches that talk about each deal (the nearest mention before, within four turns, or
 * just after, within two), and each deal is qualified from its own stretch only — so in a call
 * about two offerings, the CFO who signs multi-year deals does not become the economic buyer of
 * the support plan. A conversation with one deal qualifies it from the whole conversation.
 *
 * A known deal (one already open with the account) that the conversation refers to, even only as
 * "the platform", is a deal of this conversation too; when it is the only known deal referred to,
 * the stretches no other deal claims (a pilot's results, a competitor still in the picture) are
 * about it.
 */

const LOOK_BACK = 4;
const LOOK_AHEAD = 2;

function isDeal(group: OfferingGroup, targeted: boolean, knownDeals: readonly string[]): boolean {
  return (
    targeted ||
    group.price !== null ||
    group.budget !== null ||
    group.mentions.some((m) => m.buySignal) ||
    knownOf(group, knownDeals) !== null
  );
}

function scopeOf(
  group: OfferingGroup,
  deals: readonly OfferingGroup[],
  utterances: readonly Utterance[],
  knownDeals: readonly string[],
): ScopedSentence[] {
  const known = deals.filter((g) => knownOf(g, knownDeals) !== null);
  const unclaimedGoTo = known.length === 1 ? known[0] : null;
  const mentionsOf = (g: OfferingGroup) =>
    [...g.mentions.map((m) => m.utterance), ...[g.price, g.budget].flatMap((p) => (p ? [p.utterance] : []))];
  const owner = (index: number): OfferingGroup | null => {
    if (deals.length === 1) return deals[0] ?? null;
    let best: { group: OfferingGroup; distance: number } | null = null;
    for (const candidate of deals) {
      for (const at of mentionsOf(candidate)) {
        const distance = at <= index ? index - at : at - index;
        const allowed = at <= index ? LOOK_BACK : LOOK_AHEAD;
        // Ties go to the earlier mention: a conversation keeps talking about what it just named.
        if (distance <= allowed && (best === null || distance < best.distance || (distance === best.distance && at <= index))) {
          best = { group: candidate, distance };
        }
      }
    }
    return best?.group ?? unclaimedGoTo ?? null;
  };
  return utterances
    .filter((u) => owner(u.index) === group)
    .flatMap((u) => u.sentences.map((sentence, i) => ({ utterance: u, sentence, earlier: u.sentences.slice(0, i) })));
}

function summarize(name: string, group: OfferingGroup, buyer: string | null, seller: string | null, painQuote: string | null, stage: string): string {
  const who = buyer ?? "The buyer";
  const from = seller ? ` from ${seller}` : "";
  const money = group.price ?? group.budget;
  const parts = [`${who} is considering the ${name.toLowerCase()}${from}, at the ${stage.replace("_", " ")} stage.`];
  if (painQuote) parts.push(`The problem it addresses: ${painQuote.replace(/\s+/g, " ").trim()}`);
  if (money) {
    const amount = `${money.mention.amount.toLocaleString("en-US")} ${money.mention.currency}`;
    parts.push(group.price ? `Quoted at ${amount}.` : `The buyer's budget is up to ${amount}.`);
  }
  return parts.join(" ");
}

export function extractDealsByRules(
  utterances: readonly Utterance[],
  participants: Participants,
  options: { targeted: boolean; knownDeals?: readonly string[] },
): ExtractedDeal[] {
  const knownDeals = options.knownDeals ?? [];
  const money = findMoney(utterances, participants);
  const groups = groupOfferings(findOfferings(utterances, participants, knownDeals), money);
  const deals = groups.filter((group) => isDeal(group, options.targeted, knownDeals));
  const buyerCommitments = extractActionItemsByRules(utterances, participants)
    .filter((item) => item.owner_name !== null && !participants.isSeller(item.owner_name) && item.quote !== null)
    .map((item) => item.quote ?? "");
  const buyer = participants.buyerOrganization(utterances);

  return deals.map((group): ExtractedDeal => {
    const name = offeringName(group, knownDeals);
    const scope = scopeOf(group, deals, utterances, knownDeals);
    const price = group.price?.mention;
    const budget = group.budget?.mention;
    const q = qualify(scope, {
      participants,
      buyerCommitments,
      budgetCoversPrice: price !== undefined && budget !== undefined && budget.amount >= price.amount,
    });
    const spoken = group.price ?? group.budget;
    const filled = Object.values(q.meddic).filter((entry) => entry !== null).length;
    return {
      name,
      summary: summarize(name, group, buyer, participants.sellerOrganization, q.meddic.identified_pain?.quote ?? null, q.stage),
      stage: q.stage,
      stage_evidence: q.stageEvidence,
      amount: spoken?.mention.amount ?? null,
      currency: spoken?.mention.currency ?? null,
      close_timeframe: q.closeTimeframe,
      meddic: q.meddic,
      ontology: q.ontology,
      confidence: Math.min(0.95, 0.5 + (spoken ? 0.2 : 0) + (q.meddic.economic_buyer ? 0.1 : 0) + (group.mentions.length > 1 ? 0.1 : 0)),
      reasoning: [
        `Offering named ${group.mentions.length} time(s)${group.mentions.some((m) => m.bySeller) ? ", by the seller" : ""}.`,
        spoken ? `Amount from a ${group.price ? "price" : "budget"} statement: "${spoken.sentence}"` : "No amount was stated.",
        `${filled} of 8 qualification fields have evidence.`,
      ].join(" "),
    };
  });
}
