export { DealPipeline, type DealPipelineOptions } from "./pipeline/deal-pipeline";
export { DEAL_PIPELINE_STAGES, type DealPipelineResult, type DealPipelineStage, type ProjectionOutcome } from "./pipeline/deal-pipeline-result";
export {
  DEFAULT_MATCH_THRESHOLDS,
  bestScorePerCandidate,
  decideMatch,
  matchThresholdsSchema,
  normalizeDealName,
  type MatchDecision,
  type MatchThresholds,
  type ScoredCandidate,
  type VectorHit,
} from "./domain/match-policy";
export { meddicCompleteness, mergeMeddic, mergeOntology, ontologyCompleteness, qualificationStatus } from "./domain/qualification-merge";
export { changedFields, summaryChangedMaterially, type DealState } from "./domain/deal-changes";
export { planDeals, type DealOutcome, type DealPlan, type DealResolution } from "./domain/deal-plan";
export {
  absorbDeal,
  dealProperties,
  mergeDealRecord,
  newDealRecord,
  nextStage,
  qualificationProperties,
  recordFromProperties,
  withNarrative,
  type DealRecord,
  type DealSource,
} from "./domain/deal-record";
export { DealCandidateSearch, type CandidateQuery, type CandidateResult } from "./graph/deal-candidate-search";
export {
  DealGraphRepository,
  type DealMergeWrite,
  type EnvelopeState,
  type InteractionFacts,
  type StoredDeal,
} from "./graph/deal-graph-repository";
export { DealProjectionRepository, type DealProjectionInput, type ProjectionCounts } from "./projection/deal-projection-repository";
