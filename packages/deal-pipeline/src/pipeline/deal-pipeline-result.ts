import type { PipelineResult } from "@dealgraph/pipeline-kit";
import type { DealOutcome } from "../domain/deal-plan";
import type { ProjectionCounts } from "../projection/deal-projection-repository";

export const DEAL_PIPELINE_STAGES = ["route", "extract", "embed", "match", "synthesize", "write", "project"] as const;
export type DealPipelineStage = (typeof DEAL_PIPELINE_STAGES)[number];

/** One envelope's deal run; `status` `already_applied` is a replay: nothing was extracted or written again. */
export interface DealPipelineResult extends PipelineResult<ProjectionCounts, DealPipelineStage> {
  pipeline: "deals";
  accountId: string;
  route: "targeted" | "discovery";
  /** One entry per extracted deal, by position in the extraction. */
  deals: DealOutcome[];
  created: string[];
  merged: string[];
  /** Distinct deals this interaction created or changed (the Interaction's `deal_count`). */
  dealCount: number;
}
