import { setTimeout as sleep } from "node:timers/promises";
import type { Completion, EmbeddingBatch, LlmProvider, LlmTask } from "./provider";

/**
 * A provider that answers like another one, only later: every completion and every embeddings
 * batch waits a fixed time first. With the offline provider it shows the fleet at a real
 * model's pace (how many model round trips are sequential) without a network.
 */
export class SimulatedLatencyProvider implements LlmProvider {
  readonly name: LlmProvider["name"];
  readonly embeddingDimension: number;
  readonly models: LlmProvider["models"];

  constructor(
    private readonly inner: LlmProvider,
    private readonly latency: { completionMs: number; embeddingMs: number },
  ) {
    this.name = inner.name;
    this.embeddingDimension = inner.embeddingDimension;
    this.models = inner.models;
  }

  async complete<Input, Output>(task: LlmTask<Input, Output>, input: Input): Promise<Completion<Output>> {
    await sleep(this.latency.completionMs);
    const completion = await this.inner.complete(task, input);
    return { ...completion, call: { ...completion.call, latencyMs: completion.call.latencyMs + this.latency.completionMs } };
  }

  async embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    await sleep(this.latency.embeddingMs);
    const batch = await this.inner.embed(texts);
    return { ...batch, calls: batch.calls.map((call) => ({ ...call, latencyMs: call.latencyMs + this.latency.embeddingMs })) };
  }
}
