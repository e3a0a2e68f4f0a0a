import type { ExtractedDeal } from "@dealgraph/extraction";
import { normalizeKey, placeByPosition, type MatchResolution } from "@dealgraph/matching";
import { absorbDeal, mergeDealRecord, newDealRecord, type DealRecord, type DealSource } from "./deal-record";

export interface PlannedCreate {
  record: DealRecord;
  embedding: number[];
  /** Positions in the extraction that this deal came from (more than one when folded). */
  indexes: number[];
}

export interface PlannedMerge {
  base: DealRecord;
  /** The merged facts; the summaries are still the base's until the synthesis replaces them. */
  next: DealRecord;
  changedFields: string[];
  incoming: ExtractedDeal[];
  indexes: number[];
}

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

export interface PlanInput {
  deals: readonly ExtractedDeal[];
  embeddings: readonly number[][];
  resolutions: readonly MatchResolution[];
  /** The stored deals that resolutions point at. */
  stored: ReadonlyMap<string, DealRecord>;
  tenantId: string;
  accountId: string;
  source: DealSource;
  /** Two new deals of one envelope at or above this similarity are one deal (the auto-merge threshold). */
  sameDealSimilarity: number;
  mintId: () => string;
  dealRef: (opportunityId: string) => string;
}

/**
 * Turns per-position resolutions into the writes of one envelope, taking the extracted deals
 * one by one in order. Results are keyed by position, never by text: two identical extracted
 * deals are two inputs, and the second folds into the first (a new deal absorbs a repeat of
 * itself; two mentions of one stored deal make one merge with one version).
 */
export function planDeals(input: PlanInput): DealPlan {
  const creates = new Map<number, PlannedCreate>();
  const merges = new Map<string, PlannedMerge>();
  const outcomes: DealOutcome[] = [];
  const failures: DealFailure[] = [];
  const placements = placeByPosition(
    input.resolutions,
    input.embeddings,
    input.deals.map((d) => normalizeKey(d.name)),
    input.sameDealSimilarity,
  );

  for (const placement of placements) {
    const { index } = placement;
    const deal = input.deals[index];
    if (deal === undefined) continue;
    if (placement.kind === "failed") {
      failures.push({ index, message: placement.message });
    } else if (placement.kind === "existing") {
      const planned = merges.get(placement.id);
      const base = planned?.base ?? input.stored.get(placement.id);
      if (base === undefined) {
        failures.push({ index, message: `matched deal ${placement.id} could not be read` });
        continue;
      }
      const incoming = [...(planned?.incoming ?? []), deal];
      const { next, changedFields } = mergeDealRecord(base, incoming, input.source);
      merges.set(placement.id, { base, next, changedFields, incoming, indexes: [...(planned?.indexes ?? []), index] });
      outcomes.push(outcome(index, deal, "merged", base, placement.repeat ? "same_envelope" : placement.reason, placement.score));
    } else if (placement.repeat) {
      const twin = creates.get(placement.group);
      if (!twin) continue;
      twin.record = absorbDeal(twin.record, deal, input.source);
      twin.indexes.push(index);
      outcomes.push(outcome(index, deal, "created", twin.record, "same_envelope", null));
    } else {
      const opportunityId = input.mintId();
      const record = newDealRecord(
        deal,
        { opportunityId, dealRef: input.dealRef(opportunityId), tenantId: input.tenantId, accountId: input.accountId },
        input.source,
      );
      creates.set(index, { record, embedding: input.embeddings[index] ?? [], indexes: [index] });
      outcomes.push(outcome(index, deal, "created", record, "new", placement.bestScore));
    }
  }

  return { creates: [...creates.values()], merges: [...merges.values()], outcomes, failures };
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
