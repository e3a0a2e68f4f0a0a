// The fleet knows this pipeline by its module; the rest is for the CLI's in-process runs
// (`dealgraph process`, `eval`) and for the integration tests of its graph repository.
export { actionItemPipelineModule } from "./action-item-pipeline-module";
export { ActionItemPipeline } from "./pipeline/action-item-pipeline";
export type { ActionItemPipelineResult } from "./pipeline/action-item-pipeline-result";
export { actionItemPipelineOn, openActionItemPipeline } from "./pipeline/open-action-item-pipeline";
export { ActionItemGraphRepository } from "./graph/action-item-graph-repository";
export { ItemProjectionRepository } from "./projection/item-projection-repository";
