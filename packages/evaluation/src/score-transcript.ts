import type { ExtractedActionItem, ExtractedDeal } from "@dealgraph/extraction";
import { assignBestFirst } from "./assignment";
import type { GoldDeal, GoldItem, GoldTranscript } from "./gold-schema";
import { groupsMatched, keywordsMatch } from "./keywords";
import { namesPerson, sameOwner } from "./people";

/*
 * Scores one transcript's extraction against its labels. A deal is matched on what a user reads
 * about it (name and summary), an action item on its text alone: an item reduced to "Do it
 * Friday" has lost its object and does not match.
 */

/** null when the label leaves the attribute unscored. */
type Verdict = boolean | null;

export interface DealHit {
  gold: GoldDeal;
  deal: ExtractedDeal;
  amount: Verdict;
  currency: Verdict;
  stage: Verdict;
  economicBuyer: Verdict;
  champion: Verdict;
}

export interface ItemHit {
  gold: GoldItem;
  item: ExtractedActionItem;
  owner: Verdict;
  status: Verdict;
}

export interface TranscriptScore {
  id: string;
  deals: { hits: DealHit[]; misses: GoldDeal[]; inventions: ExtractedDeal[]; mustNot: string[] };
  items: { hits: ItemHit[]; misses: GoldItem[]; inventions: ExtractedActionItem[]; mustNot: string[] };
}

export const dealText = (deal: Pick<ExtractedDeal, "name" | "summary">) => `${deal.name}. ${deal.summary}`;

function matchScore(keywords: readonly string[], text: string): number | null {
  return keywordsMatch(keywords, text) ? groupsMatched(keywords, text) / keywords.length : null;
}

export function amountInRanges(ranges: ReadonlyArray<readonly [number, number]>, amount: number | null): boolean {
  return amount !== null && ranges.some(([lo, hi]) => amount >= Math.min(lo, hi) && amount <= Math.max(lo, hi));
}

/** A person label: a name must be named, null must stay empty, "?" is not scored. */
export function personVerdict(label: string | null, value: string | null | undefined): Verdict {
  if (label === "?") return null;
  if (label === null) return !value;
  return namesPerson(label, value);
}

function judgeDeal(gold: GoldDeal, deal: ExtractedDeal): DealHit {
  const amount = gold.amount_range === null ? deal.amount === null : amountInRanges(gold.amount_range, deal.amount);
  const currency = gold.currency === null ? deal.amount === null || deal.currency === null : deal.currency?.toUpperCase() === gold.currency.toUpperCase();
  return {
    gold,
    deal,
    amount,
    currency,
    stage: gold.stage === null ? null : gold.stage.includes(deal.stage),
    economicBuyer: personVerdict(gold.economic_buyer, deal.meddic.economic_buyer?.text),
    champion: personVerdict(gold.champion, deal.meddic.champion?.text),
  };
}

function judgeItem(gold: GoldItem, item: ExtractedActionItem): ItemHit {
  return { gold, item, owner: gold.owner === null ? null : sameOwner(gold.owner, item.owner_name), status: itemStatus(item.status) === gold.status };
}

/** Matched required labels are judged, unmatched ones missed; optional labels count neither way. */
function judgeLabels<L extends { optional: boolean }, H>(
  labels: readonly L[],
  pairs: Map<number, number>,
  judge: (label: L, extracted: number) => H,
): { hits: H[]; misses: L[] } {
  const hits: H[] = [];
  const misses: L[] = [];
  labels.forEach((label, g) => {
    if (label.optional) return;
    const e = pairs.get(g);
    if (e === undefined) misses.push(label);
    else hits.push(judge(label, e));
  });
  return { hits, misses };
}

const itemStatus = (status: ExtractedActionItem["status"]) => (status === "done" ? "done" : status === "cancelled" ? "cancelled" : "open");

export function scoreTranscript(
  gold: GoldTranscript,
  extracted: { deals: readonly ExtractedDeal[]; actionItems: readonly ExtractedActionItem[] },
): TranscriptScore {
  const dealPairs = assignBestFirst(gold.deals.length, extracted.deals.length, (g, e) => matchScore(gold.deals[g]!.keywords, dealText(extracted.deals[e]!)));
  const itemPairs = assignBestFirst(gold.action_items.length, extracted.actionItems.length, (g, e) => {
    const score = matchScore(gold.action_items[g]!.keywords, extracted.actionItems[e]!.text);
    // The right owner breaks ties between two labels the text fits equally.
    return score === null ? null : score + (sameOwner(gold.action_items[g]!.owner ?? "", extracted.actionItems[e]!.owner_name) ? 0.01 : 0);
  });

  const matchedDeals = new Set(dealPairs.values());
  const matchedItems = new Set(itemPairs.values());
  const deals = judgeLabels(gold.deals, dealPairs, (label, e) => judgeDeal(label, extracted.deals[e]!));
  const items = judgeLabels(gold.action_items, itemPairs, (label, e) => judgeItem(label, extracted.actionItems[e]!));

  const dealInventions = extracted.deals.filter((_, e) => !matchedDeals.has(e));
  const itemInventions = extracted.actionItems.filter((_, e) => !matchedItems.has(e));
  return {
    id: gold.id,
    deals: {
      hits: deals.hits,
      misses: deals.misses,
      inventions: dealInventions,
      mustNot: dealInventions.flatMap((deal) => gold.must_not_deals.filter((m) => keywordsMatch(m.keywords, dealText(deal))).map(() => deal.name)),
    },
    items: {
      hits: items.hits,
      misses: items.misses,
      inventions: itemInventions,
      mustNot: itemInventions.flatMap((item) =>
        gold.must_not_items
          .filter((m) => keywordsMatch(m.keywords, item.text) && (m.owner === null || !item.owner_name || sameOwner(m.owner, item.owner_name)))
          .map(() => `${item.owner_name ?? "?"}: ${item.text}`),
      ),
    },
  };
}
