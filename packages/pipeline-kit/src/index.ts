export { PipelineMeter, type LlmUsage, type StageTimings } from "./pipeline-meter";
export { projectionWarnings, type ProjectionOutcome } from "./projection-outcome";
