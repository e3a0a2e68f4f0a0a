import type { LlmUsage, PipelineWarning, ProjectionOutcome, StageTimings } from "@dealgraph/pipeline-kit";
import type { ItemOutcome } from "../domain/item-plan";
import type { ItemProjectionCounts } from "../projection/item-projection-repository";

export const ACTION_ITEM_PIPELINE_STAGES = ["route", "extract", "embed", "match", "reembed", "write", "project"] as const;
export type ActionItemPipelineStage = (typeof ACTION_ITEM_PIPELINE_STAGES)[number];

export interface ActionItemPipelineResult {
  pipeline: "action_items";
  tenantId: string;
  interactionId: string;
  /** Null when the envelope named no account (its items are matched among the tenant's account-less items). */
  accountId: string | null;
  /** `already_applied`: a replay; nothing was extracted or written to the graph again. */
  status: "processed" | "skipped" | "already_applied";
  /** One entry per extracted item, by position in the extraction. */
  items: ItemOutcome[];
  created: string[];
  /** Items this interaction changed (each has a new version). */
  updated: string[];
  /** Items this interaction mentioned without changing them (provenance only). */
  mentioned: string[];
  topics: { created: string[]; updated: string[] };
  /** Distinct items this interaction created, changed or mentioned (the Interaction's `action_item_count`). */
  itemCount: number;
  projection: ProjectionOutcome<ItemProjectionCounts>;
  timings: StageTimings<ActionItemPipelineStage>;
  warnings: PipelineWarning[];
  /** Per-item failures; the envelope's other items still completed. */
  errors: Array<{ index: number; stage: ActionItemPipelineStage; message: string }>;
  llm: LlmUsage;
}
