import type { ExtractedDeal } from "@dealgraph/extraction";
import type { MatchDecision } from "@dealgraph/matching";
import type { PlannedMerge } from "./deal-plan";
import { mergeDealRecord, type DealRecord, type DealSource } from "./deal-record";

/**
 * Where each extracted deal may go before the model has answered for the middle band: the
 * stored deal it certainly merges into (an exact key, a score at or above auto-merge, a
 * targeted envelope), or the stored deals the model was offered (it may also answer "new").
 */
export interface MergeOutlook {
  certain: ReadonlyArray<string | null>;
  offered: ReadonlyArray<readonly string[]>;
}

export function outlookOfDecisions(decisions: readonly MatchDecision[]): MergeOutlook {
  return {
    certain: decisions.map((d) => (d.kind === "merge" ? d.id : null)),
    offered: decisions.map((d) => (d.kind === "ask" ? d.candidates.map((c) => c.id) : [])),
  };
}

/** A targeted envelope: every extracted deal updates the one it names. */
export function targetedOutlook(dealCount: number, opportunityId: string): MergeOutlook {
  return { certain: Array.from({ length: dealCount }, () => opportunityId), offered: Array.from({ length: dealCount }, () => []) };
}

/** Every stored deal the envelope may merge into (the ones to read before planning). */
export function outlookDealIds(outlook: MergeOutlook): string[] {
  return [...new Set([...outlook.certain.flatMap((id) => (id === null ? [] : [id])), ...outlook.offered.flat()])];
}

/** Identifies a merge by what decides its content: the stored deal and which extracted deals went into it. */
export const mergeKey = (merge: Pick<PlannedMerge, "base" | "indexes">): string => `${merge.base.opportunityId}:${merge.indexes.join(",")}`;

/**
 * Beyond this many middle-band deals offered the same stored deal, only each of them alone and
 * all of them together are prepared (2^n subsets would be too many narratives to pay for).
 */
const MAX_SUBSET_ENUMERATION = 4;

/**
 * Every merge `planDeals` can produce for the envelope, whatever the model answers for the
 * middle band, so that each merge's narrative can be written while the model is still deciding:
 * one sequential model round fewer, paid for with the narratives of merges that do not happen
 * (none when no deal falls in the middle band). A merge into stored deal D takes the deals certain
 * to go to D plus any subset of the deals D was offered to, in extraction order, exactly as
 * `planDeals` folds them.
 */
export function possibleMerges(input: {
  deals: readonly ExtractedDeal[];
  outlook: MergeOutlook;
  stored: ReadonlyMap<string, DealRecord>;
  source: DealSource;
}): PlannedMerge[] {
  const merges: PlannedMerge[] = [];
  for (const [id, base] of input.stored) {
    const certain = input.outlook.certain.flatMap((target, index) => (target === id ? [index] : []));
    const offered = input.outlook.offered.flatMap((ids, index) => (ids.includes(id) && input.outlook.certain[index] === null ? [index] : []));
    for (const chosen of subsets(offered)) {
      const indexes = [...certain, ...chosen].sort((a, b) => a - b);
      if (indexes.length === 0) continue;
      const incoming = indexes.map((index) => input.deals[index]).filter((deal): deal is ExtractedDeal => deal !== undefined);
      const { next, changedFields } = mergeDealRecord(base, incoming, input.source);
      merges.push({ base, next, changedFields, incoming, indexes });
    }
  }
  return merges;
}

function subsets(items: readonly number[]): number[][] {
  if (items.length > MAX_SUBSET_ENUMERATION) return [[], ...items.map((item) => [item]), [...items]];
  return Array.from({ length: 2 ** items.length }, (_, mask) => items.filter((_, bit) => (mask >> bit) & 1));
}

/**
 * Splits merges into batches that never name one stored deal twice (the model's answer is
 * keyed by deal id): batch j holds the j-th variant of each deal. Sent concurrently, they are
 * still one round.
 */
export function batchesByDeal(merges: readonly PlannedMerge[]): PlannedMerge[][] {
  const seen = new Map<string, number>();
  const batches: PlannedMerge[][] = [];
  for (const merge of merges) {
    const layer = seen.get(merge.base.opportunityId) ?? 0;
    seen.set(merge.base.opportunityId, layer + 1);
    (batches[layer] ??= []).push(merge);
  }
  return batches;
}
