import type { LlmUsage, PipelineWarning, ProjectionOutcome, StageTimings } from "@dealgraph/pipeline-kit";
import type { DealOutcome } from "../domain/deal-plan";
import type { ProjectionCounts } from "../projection/deal-projection-repository";

export const DEAL_PIPELINE_STAGES = ["route", "extract", "embed", "match", "synthesize", "write", "project"] as const;
export type DealPipelineStage = (typeof DEAL_PIPELINE_STAGES)[number];

export interface DealPipelineResult {
  pipeline: "deals";
  tenantId: string;
  interactionId: string;
  accountId: string;
  /** `already_applied`: a replay; nothing was extracted or written to the graph again. */
  status: "processed" | "skipped" | "already_applied";
  route: "targeted" | "discovery";
  /** One entry per extracted deal, by position in the extraction. */
  deals: DealOutcome[];
  created: string[];
  merged: string[];
  /** Distinct deals this interaction created or changed (the Interaction's `deal_count`). */
  dealCount: number;
  projection: ProjectionOutcome<ProjectionCounts>;
  timings: StageTimings<DealPipelineStage>;
  warnings: PipelineWarning[];
  /** Per-deal failures; the envelope's other deals still completed. */
  errors: Array<{ index: number; stage: DealPipelineStage; message: string }>;
  llm: LlmUsage;
}
