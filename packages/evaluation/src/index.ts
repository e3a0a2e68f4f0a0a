export { AccountStateRepository } from "./account-state-repository";
export { goldSetSchema, type GoldDeal, type GoldItem, type GoldSeries, type GoldSet, type GoldTranscript, type SeriesCheck } from "./gold-schema";
export { groupsMatched, keywordsMatch } from "./keywords";
export { defaultLabelledSetDir, loadLabelledSet, type LabelledSet } from "./load-gold-set";
export { namesPerson, sameOwner } from "./people";
export { runCheck, type AccountState, type CheckOutcome } from "./score-series";
export { dealText, scoreTranscript, type DealHit, type ItemHit, type TranscriptScore } from "./score-transcript";
export { precisionRecall, summarize, type EvaluationSummary, type PrecisionRecall, type Rate } from "./summary";
export { distribution, labelledPairs, suggestedThresholds, type LabelledEntry, type PairScore, type ScoreDistribution } from "./pair-scores";
