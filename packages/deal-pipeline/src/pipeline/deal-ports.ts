import type { CandidateQuery, CandidateResult } from "@dealgraph/matching";
import type { EnvelopeGraphStore, EnvelopeProjector } from "@dealgraph/pipeline-kit";
import type { DealPlan } from "../domain/deal-plan";
import type { DealMergeWrite, DealProjectionSource, EnvelopeState } from "../graph/deal-graph-repository";
import type { ProjectionCounts } from "../projection/deal-projection-repository";

/** What one envelope writes to the deal graph (stamped with it, in one transaction). */
export interface DealWrite {
  creates: DealPlan["creates"];
  merges: readonly DealMergeWrite[];
}

/** The deal ids an envelope's projection covers. */
export type DealIds = readonly string[];

/**
 * The deal graph as the deal pipeline uses it; `Neo4jDealStore` is the real one, the unit tests
 * keep theirs in memory.
 */
export interface DealGraphStore extends EnvelopeGraphStore<Omit<EnvelopeState, "applied">, DealWrite, DealIds, DealProjectionSource> {
  /**
   * One read for every deal of an envelope: the account's deals near each query, each with its
   * stored properties (without embeddings) in `records`, so a merge needs no second read.
   */
  findCandidates(tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<Array<CandidateResult<Record<string, unknown>>>>;
}

export type DealProjector = EnvelopeProjector<DealIds, DealProjectionSource, ProjectionCounts>;
