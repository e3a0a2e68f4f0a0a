export { PipelineRegistry, moduleIssues } from "./pipeline-registry";
export { BUILT_IN_PIPELINES, pipelines } from "./registry";
