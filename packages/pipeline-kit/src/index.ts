export { PipelineMeter, type LlmUsage, type StageTimings } from "./pipeline-meter";
export { projectionWarnings, runProjection, type ProjectionOutcome } from "./projection-outcome";
export { interactionFacts, interactionText, tooShortWarning } from "./envelope-input";
export {
  EnvelopeFrame,
  type EnvelopeGraphStore,
  type EnvelopeProjector,
  type EnvelopeRun,
  type EnvelopeStages,
  type FrameStage,
  type PlannedEnvelope,
  type StageInput,
} from "./envelope-frame";
export { warning, warningsOf, type PipelineWarning, type PipelineWarningCode } from "./pipeline-warning";
export { NO_ACCOUNT, accountColumn, interactionRow, upsertInteractionRow, type InteractionSide } from "./interaction-row";
export { upsertLinkRows } from "./link-rows";
export { drivenPipeline, type OpenedPipeline, type PipelineDeps, type PipelineModule, type PipelineName, type PipelineRun, type ReprojectOutcome } from "./pipeline-module";
export type { ColumnKind, OrphanCheck, ProjectionKind, ProjectionPorts } from "./projection-kind";
