import { performance } from "node:perf_hooks";
import { totalCalls, type LlmCall, type LlmProvider } from "@dealgraph/llm";

/** Model calls of one envelope, as a pipeline result reports them. */
export type LlmUsage = ReturnType<typeof totalCalls> & {
  /** Model round trips one after another on the critical path (batched or concurrent calls count once). */
  sequentialRounds: number;
  byTask: Record<string, number>;
};

/** Milliseconds per stage that ran, and in total. */
export type StageTimings<Stage extends string> = Partial<Record<Stage, number>> & { total: number };

/** Times the stages and counts the model calls of one envelope. */
export class PipelineMeter<Stage extends string> {
  private readonly started = performance.now();
  private readonly timings: Partial<Record<Stage, number>> = {};
  private readonly calls: LlmCall[] = [];
  private rounds = 0;

  async time<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings[stage] = (this.timings[stage] ?? 0) + (performance.now() - started);
    }
  }

  /** One sequential round of model calls (the calls within it ran batched or concurrently). */
  round(calls: ReadonlyArray<LlmCall | null>): void {
    const made = calls.filter((call): call is LlmCall => call !== null);
    if (made.length === 0) return;
    this.rounds += 1;
    this.calls.push(...made);
  }

  /** One embeddings batch for `texts`, counted as one round (none when there is nothing to embed). */
  async embed(llm: LlmProvider, texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const batch = await llm.embed(texts);
    this.round(batch.calls);
    return batch.vectors;
  }

  llm(): LlmUsage {
    const byTask: Record<string, number> = {};
    for (const call of this.calls) byTask[call.task] = (byTask[call.task] ?? 0) + 1;
    return { ...totalCalls(this.calls), sequentialRounds: this.rounds, byTask };
  }

  elapsed(): StageTimings<Stage> {
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const stages = Object.fromEntries(Object.entries<number | undefined>(this.timings).map(([stage, ms]) => [stage, round(ms ?? 0)]));
    return { ...(stages as Partial<Record<Stage, number>>), total: round(performance.now() - this.started) };
  }
}
