// The fleet knows this pipeline by its module; the rest is for the CLI's in-process runs
// (`dealgraph process`, `eval`) and for the integration tests of its graph repository.
export { dealPipelineModule } from "./deal-pipeline-module";
export { DealPipeline } from "./pipeline/deal-pipeline";
export type { DealPipelineResult } from "./pipeline/deal-pipeline-result";
export { dealPipelineOn, openDealPipeline } from "./pipeline/open-deal-pipeline";
export { mergeDealRecord, newDealRecord, withNarrative } from "./domain/deal-record";
export { DEAL_CANDIDATE_RECORD, DealGraphRepository } from "./graph/deal-graph-repository";
export { DealProjectionRepository } from "./projection/deal-projection-repository";
