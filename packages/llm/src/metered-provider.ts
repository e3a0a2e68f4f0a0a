import { SpanKind, inSpan, type Attributes, type Span } from "@dealgraph/telemetry";
import type { Completion, EmbeddingBatch, LlmCall, LlmProvider, LlmTask } from "./provider";

/** What happened to one model call, as metrics count it. */
export type LlmCallOutcome =
  { ok: true; call: LlmCall } | { ok: false; provider: string; model: string; kind: LlmCall["kind"]; task: string; latencyMs: number; error: unknown };

/**
 * A provider that reports every call to `observe`, the failed ones too (after the client's own
 * retries), so that spend and error rates are counted per provider, model and task whether or
 * not the job that made the call completed; each call is also a span of the envelope's trace.
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

  complete<Input, Output>(task: LlmTask<Input, Output>, input: Input): Promise<Completion<Output>> {
    return this.metered("completion", task.name, { "gen_ai.operation.name": "chat" }, async (span) => {
      const answer = await this.inner.complete(task, input);
      span.setAttributes({ "gen_ai.usage.input_tokens": answer.call.promptTokens, "gen_ai.usage.output_tokens": answer.call.completionTokens });
      return { result: answer, calls: [answer.call] };
    });
  }

  embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    return this.metered("embedding", "embed", { "gen_ai.operation.name": "embeddings", "dealgraph.inputs": texts.length }, async () => {
      const batch = await this.inner.embed(texts);
      return { result: batch, calls: batch.calls };
    });
  }

  /** One call in its span (`llm <task>`), observed whether it answers or fails. */
  private async metered<T>(
    kind: LlmCall["kind"],
    task: string,
    attributes: Attributes,
    call: (span: Span) => Promise<{ result: T; calls: readonly LlmCall[] }>,
  ): Promise<T> {
    const model = kind === "completion" ? this.models.completion : this.models.embedding;
    const started = performance.now();
    try {
      const { result, calls } = await inSpan(
        `llm ${task}`,
        { "gen_ai.provider.name": this.name, "gen_ai.request.model": model, ...attributes },
        call,
        SpanKind.CLIENT,
      );
      for (const made of calls) this.observe({ ok: true, call: made });
      return result;
    } catch (error) {
      this.observe({ ok: false, provider: this.name, model, kind, task, latencyMs: performance.now() - started, error });
      throw error;
    }
  }
}
