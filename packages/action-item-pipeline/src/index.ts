export { ActionItemPipeline, type ActionItemPipelineOptions } from "./pipeline/action-item-pipeline";
export { ACTION_ITEM_PIPELINE_STAGES, type ActionItemPipelineResult, type ActionItemPipelineStage } from "./pipeline/action-item-pipeline-result";
export { planItems, type ItemOutcome, type ItemPlan } from "./domain/item-plan";
export {
  absorbItem,
  itemChangedFields,
  itemFromProperties,
  mergeItemRecord,
  newItemRecord,
  nextStatus,
  ownerKey,
  type ActionItemRecord,
} from "./domain/item-record";
export { mergeTopicRecord, newTopicRecord, topicSummary, type TopicRecord } from "./domain/topic-record";
export { ActionItemGraphRepository, type StoredNode } from "./graph/action-item-graph-repository";
export { ItemProjectionRepository, type ItemProjectionCounts } from "./projection/item-projection-repository";
export { actionItemPipelineOn, openActionItemPipeline, summarizeActionItemRun } from "./pipeline/open-action-item-pipeline";
export type { ActionItemGraphStore, ActionItemIds, ActionItemProjector, ActionItemWrite } from "./pipeline/action-item-ports";
export { actionItemRow, actionItemVersionRow, ownerRow, topicRow, topicVersionRow } from "./projection/item-rows";
export { actionItemPipelineModule } from "./action-item-pipeline-module";
