import type { PipelineResult } from "@dealgraph/pipeline-kit";
import type { ItemOutcome } from "../domain/item-plan";
import type { ItemProjectionCounts } from "../projection/item-projection-repository";

export const ACTION_ITEM_PIPELINE_STAGES = ["route", "extract", "embed", "match", "reembed", "write", "project"] as const;
export type ActionItemPipelineStage = (typeof ACTION_ITEM_PIPELINE_STAGES)[number];

/** One envelope's action-item run; `status` `already_applied` is a replay: nothing was extracted or written again. */
export interface ActionItemPipelineResult extends PipelineResult<ItemProjectionCounts, ActionItemPipelineStage> {
  pipeline: "action_items";
  /** Null when the envelope named no account (its items are matched among the tenant's account-less items). */
  accountId: string | null;
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
}
