import { SpanKind, inSpan } from "@dealgraph/telemetry";
import type { Completion, EmbeddingBatch, LlmCall, LlmProvider, LlmTask } from "./provider";

/** What happened to one model call, as metrics count it. */
export type LlmCallOutcome =
  { ok: true; call: LlmCall } | { ok: false; provider: string; model: string; kind: LlmCall["kind"]; task: string; latencyMs: number; error: unknown };

/**
 * A provider that reports every call to `observe`, the failed ones too (after the client's own
 * retries), so that spend and error rates are counted per provider, model and task whether or
 * not the job that made the call completed.
 */
export class MeteredProvider implements LlmProvider {
  readonly name: LlmProvider["name"];
  readonly embeddingDimension: number;
  readonly models: LlmProvider["models"];

  constructor(
    private readonly inner: LlmProvider,
    private readonly observe: (outcome: LlmCallOutcome) => void,
  ) {
    this.name = inner.name;
    this.embeddingDimension = inner.embeddingDimension;
    this.models = inner.models;
  }

  async complete<Input, Output>(task: LlmTask<Input, Output>, input: Input): Promise<Completion<Output>> {
    const started = performance.now();
    try {
      const completion = await inSpan(
        `llm ${task.name}`,
        { "gen_ai.provider.name": this.name, "gen_ai.request.model": this.models.completion, "gen_ai.operation.name": "chat" },
        async (span) => {
          const answer = await this.inner.complete(task, input);
          span.setAttributes({ "gen_ai.usage.input_tokens": answer.call.promptTokens, "gen_ai.usage.output_tokens": answer.call.completionTokens });
          return answer;
        },
        SpanKind.CLIENT,
      );
      this.observe({ ok: true, call: completion.call });
      return completion;
    } catch (error) {
      this.observe({
        ok: false,
        provider: this.name,
        model: this.models.completion,
        kind: "completion",
        task: task.name,
        latencyMs: performance.now() - started,
        error,
      });
      throw error;
    }
  }

  async embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    const started = performance.now();
    try {
      const batch = await inSpan(
        "llm embed",
        {
          "gen_ai.provider.name": this.name,
          "gen_ai.request.model": this.models.embedding,
          "gen_ai.operation.name": "embeddings",
          "dealgraph.inputs": texts.length,
        },
        () => this.inner.embed(texts),
        SpanKind.CLIENT,
      );
      for (const call of batch.calls) this.observe({ ok: true, call });
      return batch;
    } catch (error) {
      this.observe({
        ok: false,
        provider: this.name,
        model: this.models.embedding,
        kind: "embedding",
        task: "embed",
        latencyMs: performance.now() - started,
        error,
      });
      throw error;
    }
  }
}
