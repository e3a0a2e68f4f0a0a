import type { z } from "zod";

/**
 * One structured-output job for a model: a fixed instruction, a zod schema the answer must
 * satisfy, and how to present the input as data. Providers never see task-specific code beyond
 * this, except the offline provider, which keeps a rule set per task name.
 */
export interface LlmTask<Input, Output> {
  /** Stable snake_case id: the response-format name, the offline rule key, the metrics label. */
  readonly name: string;
  readonly schema: z.ZodType<Output>;
  /** The system message. Never contains input data. */
  readonly instructions: string;
  /** The input as a JSON-serialisable document; providers send it as data, never as instructions. */
  toDocument(input: Input): Record<string, unknown>;
  /**
   * When `schema` is too wide for a strict response format: the narrower shape a model answers
   * in, and how an answer in it becomes `schema`'s. Rule-based providers answer in `schema` itself.
   */
  readonly wire?: WireFormat<Output>;
}

/** A response format and its way back to the task's own shape (see `wireFormat`). */
export interface WireFormat<Output> {
  readonly schema: z.ZodType;
  /** Called only with what `schema` parsed. */
  decode(parsed: unknown): Output;
}

/** Ties a wire schema to its decoder, so the decoder is typed by what the schema parses. */
export function wireFormat<Wire, Output>(schema: z.ZodType<Wire>, decode: (wire: Wire) => Output): WireFormat<Output> {
  return { schema, decode: (parsed) => decode(parsed as Wire) };
}

/** One round trip to a model, for totals per envelope and metrics. */
export interface LlmCall {
  provider: string;
  model: string;
  kind: "completion" | "embedding";
  /** The task name for completions; `embed` for embeddings. */
  task: string;
  /** How many inputs an embedding call carried (1 for completions). */
  inputs: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
}

export interface Completion<Output> {
  value: Output;
  call: LlmCall;
}

export interface EmbeddingBatch {
  /** One L2-normalised vector per input, in input order. */
  vectors: number[][];
  /** One entry per request the batch needed. */
  calls: LlmCall[];
}

export interface LlmProvider {
  readonly name: "openai" | "offline";
  readonly embeddingDimension: number;
  /** The models it calls, for metrics and spend (also of the calls that fail). */
  readonly models: { completion: string; embedding: string };
  complete<Input, Output>(task: LlmTask<Input, Output>, input: Input): Promise<Completion<Output>>;
  embed(texts: readonly string[]): Promise<EmbeddingBatch>;
}

/** Adds up what a pipeline spent on one envelope. */
export function totalCalls(calls: readonly LlmCall[]): {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
} {
  return calls.reduce(
    (sum, call) => ({
      calls: sum.calls + 1,
      promptTokens: sum.promptTokens + call.promptTokens,
      completionTokens: sum.completionTokens + call.completionTokens,
      latencyMs: sum.latencyMs + call.latencyMs,
    }),
    { calls: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0 },
  );
}
