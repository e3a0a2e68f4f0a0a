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
export { meddicCompleteness, mergeMeddic, mergeOntology, ontologyCompleteness } from "./domain/qualification-merge";
export { changedFields, summaryChangedMaterially, type DealState } from "./domain/deal-changes";
export { DealCandidateSearch, type CandidateQuery, type CandidateResult } from "./graph/deal-candidate-search";
export {
  dealProperties,
  mergeDealRecord,
  newDealRecord,
  nextStage,
  qualificationProperties,
  recordFromProperties,
  type DealRecord,
} from "./domain/deal-record";
export { DealGraphRepository, type DealMergeWrite, type InteractionFacts } from "./graph/deal-graph-repository";
