export { DealPipeline, type DealPipelineOptions } from "./pipeline/deal-pipeline";
export { DEAL_PIPELINE_STAGES, type DealPipelineResult, type DealPipelineStage } from "./pipeline/deal-pipeline-result";
export { meddicCompleteness, mergeMeddic, mergeOntology, ontologyCompleteness, qualificationStatus } from "./domain/qualification-merge";
export { changedFields, type DealState } from "./domain/deal-changes";
export { planDeals, type DealOutcome, type DealPlan } from "./domain/deal-plan";
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
export { DealGraphRepository, type DealMergeWrite, type EnvelopeState, type StoredDeal } from "./graph/deal-graph-repository";
export { DealProjectionRepository, type DealProjectionInput, type ProjectionCounts } from "./projection/deal-projection-repository";
export { dealPipelineOn, openDealPipeline, summarizeDealRun } from "./pipeline/open-deal-pipeline";
export type { DealGraphStore, DealIds, DealProjector, DealWrite } from "./pipeline/deal-ports";
export { dealVersionRow, opportunityRow } from "./projection/deal-rows";
export { dealPipelineModule } from "./deal-pipeline-module";
