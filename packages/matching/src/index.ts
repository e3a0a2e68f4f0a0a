export { CandidateSearch, MATCH_TARGETS, searchTogether, withRecords, type CandidateQuery, type CandidateResult, type MatchTarget } from "./candidate-search";
export {
  DEFAULT_MATCH_THRESHOLDS,
  bestScorePerCandidate,
  decideMatch,
  decideMatches,
  matchThresholdsSchema,
  normalizeKey,
  type MatchDecision,
  type MatchThresholds,
  type ScoredCandidate,
  type VectorHit,
} from "./match-policy";
export { resolveMatches, type MatchResolution, type ResolveMatchesInput, type ResolvedMatches } from "./resolve-matches";
export { textChangedMaterially } from "./text-change";
export { placeByPosition, type Placement } from "./place-by-position";
export {
  foldPlacements,
  type FoldInput,
  type FoldRules,
  type FoldStep,
  type Folded,
  type FoldedCreate,
  type FoldedMerge,
  type RecordScope,
} from "./fold-placements";
export { candidateRecords, readMatchedRecords } from "./matched-records";
