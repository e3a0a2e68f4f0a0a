import { performance } from "node:perf_hooks";
import { totalCalls, type LlmCall } from "@dealgraph/llm";
import type { DealOutcome } from "../domain/deal-plan";
import type { ProjectionCounts } from "../projection/deal-projection-repository";

export const DEAL_PIPELINE_STAGES = ["route", "extract", "embed", "match", "synthesize", "write", "project"] as const;
export type DealPipelineStage = (typeof DEAL_PIPELINE_STAGES)[number];

export type ProjectionOutcome =
  | { status: "projected"; counts: ProjectionCounts }
  | { status: "failed"; error: string; retryable: boolean };

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
  projection: ProjectionOutcome;
  /** Milliseconds per stage, and in total. */
  timings: Partial<Record<DealPipelineStage, number>> & { total: number };
  warnings: string[];
  /** Per-deal failures; the envelope's other deals still completed. */
  errors: Array<{ index: number; stage: DealPipelineStage; message: string }>;
  llm: ReturnType<typeof totalCalls> & {
    /** Model round trips one after another on the critical path (batched or concurrent calls count once). */
    sequentialRounds: number;
    byTask: Record<string, number>;
  };
}

/** Times stages and counts the model calls of one envelope. */
export class PipelineMeter {
  private readonly started = performance.now();
  readonly timings: Partial<Record<DealPipelineStage, number>> = {};
  private readonly calls: LlmCall[] = [];
  private rounds = 0;

  async time<T>(stage: DealPipelineStage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings[stage] = (this.timings[stage] ?? 0) + (performance.now() - started);
    }
  }

  /** One sequential round of model calls (the calls within it ran batched or concurrently). */
  round(calls: readonly LlmCall[]): void {
    if (calls.length === 0) return;
    this.rounds += 1;
    this.calls.push(...calls);
  }

  llm(): DealPipelineResult["llm"] {
    const byTask: Record<string, number> = {};
    for (const call of this.calls) byTask[call.task] = (byTask[call.task] ?? 0) + 1;
    return { ...totalCalls(this.calls), sequentialRounds: this.rounds, byTask };
  }

  elapsed(): DealPipelineResult["timings"] {
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      ...Object.fromEntries(Object.entries(this.timings).map(([stage, ms]) => [stage, round(ms)])),
      total: round(performance.now() - this.started),
    };
  }
}
