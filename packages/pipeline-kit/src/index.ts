export { PipelineMeter, type LlmUsage, type StageTimings } from "./pipeline-meter";
export { projectionWarnings, runProjection, type ProjectionOutcome } from "./projection-outcome";
export { interactionFacts, interactionText, tooShortWarning } from "./envelope-input";
export {
  EnvelopeFrame,
  runBasics,
  summarizeRun,
  type EnvelopeGraphStore,
  type EnvelopeProjector,
  type EnvelopeRun,
  type EnvelopeStages,
  type FrameStage,
  type PipelineResult,
  type PlannedEnvelope,
  type StageInput,
} from "./envelope-frame";
export { warning, warningsOf, type PipelineWarning, type PipelineWarningCode } from "./pipeline-warning";
export { NO_ACCOUNT, accountColumn, interactionRow, interactionUpsert, upsertInteractionRow, type InteractionSide } from "./interaction-row";
export { linkUpsert } from "./link-rows";
export { ProjectionWriter, type InProjection, type ProjectionInput, type VectorColumns } from "./projection-writer";
export { graphRevision, interactionLinkRows, sameNamedColumns, versionHistoryColumns } from "./projected-rows";
export { FramedPipeline } from "./framed-pipeline";
export { GraphProjector } from "./graph-projector";
export {
  drivenPipeline,
  openOnGraph,
  type OpenedPipeline,
  type PipelineOnGraph,
  type PipelineDeps,
  type PipelineModule,
  type PipelineName,
  type PipelineRun,
  type ReprojectOutcome,
} from "./pipeline-module";
export type { ColumnKind, OrphanCheck, ProjectionKind, ProjectionPorts } from "./projection-kind";
export { affectedRows, deleteWithLinks, interactionKind, versionKind, versionOrphanCheck } from "./projection-kinds";
export { offlineStageDeps } from "./offline-stage-deps";
