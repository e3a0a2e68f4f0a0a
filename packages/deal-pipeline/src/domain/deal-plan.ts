import type { ExtractedDeal } from "@dealgraph/extraction";
import { foldPlacements, normalizeKey, type FoldedCreate, type FoldedMerge, type FoldInput, type RecordScope } from "@dealgraph/matching";
import { absorbDeal, mergeDealRecord, newDealRecord, type DealRecord, type DealSource } from "./deal-record";

export type PlannedCreate = FoldedCreate<DealRecord>;

/** A merge's `next` holds the merged facts; the summaries are still the base's until the synthesis replaces them. */
export type PlannedMerge = Omit<FoldedMerge<DealRecord, ExtractedDeal>, "id">;

export interface DealOutcome {
  index: number;
  name: string;
  action: "created" | "merged";
  opportunityId: string;
  dealRef: string;
  /** Why this deal: a match reason, `new`, or `same_envelope` when it repeated an earlier extracted deal. */
  reason: "exact" | "high_similarity" | "model" | "targeted" | "new" | "same_envelope";
  score: number | null;
}

export interface DealFailure {
  index: number;
  message: string;
}

export interface DealPlan {
  creates: PlannedCreate[];
  merges: PlannedMerge[];
  outcomes: DealOutcome[];
  failures: DealFailure[];
}

export interface PlanInput extends RecordScope {
  /** The extracted deals, how each resolved and its embedding; `sameSimilarity` is the auto-merge threshold. */
  matches: FoldInput<ExtractedDeal>;
  /** The stored deals that resolutions point at. */
  stored: ReadonlyMap<string, DealRecord>;
  source: DealSource;
  dealRef: (opportunityId: string) => string;
}

const dealKey = (deal: ExtractedDeal) => normalizeKey(deal.name);

/**
 * Turns per-position resolutions into the writes of one envelope, taking the extracted deals
 * one by one in order. Results are keyed by position, never by text: two identical extracted
 * deals are two inputs, and the second folds into the first (a new deal absorbs a repeat of
 * itself; two mentions of one stored deal make one merge with one version).
 */
export function planDeals(input: PlanInput): DealPlan {
  const create = (deal: ExtractedDeal) => {
    const opportunityId = input.mintId();
    return newDealRecord(deal, { opportunityId, dealRef: input.dealRef(opportunityId), tenantId: input.tenantId, accountId: input.accountId }, input.source);
  };
  const rules = { noun: "deal", key: dealKey, stored: input.stored, source: input.source, merge: mergeDealRecord, absorb: absorbDeal, create };
  const folded = foldPlacements(input.matches, rules);
  const outcomes = folded.steps.map((step) => {
    const deal = input.matches.inputs[step.index] as ExtractedDeal;
    return step.kind === "merged"
      ? outcome(step.index, deal, "merged", step.base, step.reason, step.score)
      : outcome(step.index, deal, "created", step.record, step.reason, step.score);
  });
  const merges = folded.merges.map(({ id: _id, ...merge }) => merge);
  return { creates: folded.creates, merges, outcomes, failures: folded.failures };
}

function outcome(
  index: number,
  deal: ExtractedDeal,
  action: DealOutcome["action"],
  record: DealRecord,
  reason: DealOutcome["reason"],
  score: number | null,
): DealOutcome {
  return { index, name: deal.name, action, opportunityId: record.opportunityId, dealRef: record.dealRef, reason, score };
}
