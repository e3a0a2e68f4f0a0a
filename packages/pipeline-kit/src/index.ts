export { PipelineMeter, type LlmUsage, type StageTimings } from "./pipeline-meter";
export { projectionWarnings, type ProjectionOutcome } from "./projection-outcome";
export { NO_ACCOUNT, accountColumn, interactionRow, upsertInteractionRow, type InteractionSide } from "./interaction-row";
export { upsertLinkRows } from "./link-rows";
