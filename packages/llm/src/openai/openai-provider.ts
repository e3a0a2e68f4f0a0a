import { fieldIssuesFromZod } from "@dealgraph/errors";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { performance } from "node:perf_hooks";
import type { z } from "zod";
import { LlmOutputError, LlmRequestError, LlmUnavailableError } from "../llm-errors";
import type { Completion, EmbeddingBatch, LlmCall, LlmProvider, LlmTask } from "../provider";

export interface OpenAiProviderOptions {
  apiKey: string;
  /** Any OpenAI-compatible server, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** Where embeddings are asked for; `baseUrl` when not given. */
  embeddingBaseUrl?: string;
  chatModel: string;
  embeddingModel: string;
  embeddingDimension: number;
  /**
   * Whether embeddings requests carry `dimensions`: only models trained to shorten their vectors
   * accept it (text-embedding-3-*, Matryoshka models); others, and many local servers, refuse it.
   */
  sendDimensions: boolean;
  /** Sent only when set: GPT-5 and the o-series accept no temperature but the default. */
  temperature?: number;
  /** `max_completion_tokens`: a runaway answer stops here instead of being paid for on each retry. */
  maxOutputTokens: number;
  /** Inputs per embeddings request. */
  embeddingBatchSize: number;
  /** Per request, before the client gives up and retries. */
  timeoutMs: number;
  /** Retries of 408/409/429/5xx, timeouts and lost connections, with exponential backoff and jitter. */
  maxRetries: number;
}

/**
 * The `openai` package's client does the transport work: it retries 408/409/429/5xx, timeouts and
 * connection errors with exponential backoff and jitter and honours `retry-after(-ms)`. This class
 * adds what the pipelines need on top: schema-bound output, errors that say whether another
 * attempt can help, vectors checked against the configured dimension, and a record of every call.
 */
export class OpenAiProvider implements LlmProvider {
  readonly name = "openai";
  readonly embeddingDimension: number;
  readonly models: LlmProvider["models"];
  private readonly client: OpenAI;
  private readonly embeddingClient: OpenAI;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.embeddingDimension = options.embeddingDimension;
    this.models = { completion: options.chatModel, embedding: options.embeddingModel };
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    this.embeddingClient =
      options.embeddingBaseUrl && options.embeddingBaseUrl !== options.baseUrl
        ? new OpenAI({ apiKey: options.apiKey, baseURL: options.embeddingBaseUrl, timeout: options.timeoutMs, maxRetries: options.maxRetries })
        : this.client;
  }

  async complete<Input, Output>(task: LlmTask<Input, Output>, input: Input): Promise<Completion<Output>> {
    const wire = task.wire ?? { schema: task.schema, decode: (parsed: unknown) => parsed as Output };
    const started = performance.now();
    const response = await this.client.chat.completions
      .create({
        model: this.options.chatModel,
        ...(this.options.temperature === undefined ? {} : { temperature: this.options.temperature }),
        max_completion_tokens: this.options.maxOutputTokens,
        messages: [
          { role: "system", content: task.instructions },
          { role: "user", content: JSON.stringify(task.toDocument(input)) },
        ],
        response_format: zodResponseFormat(wire.schema, task.name),
      })
      .catch((error: unknown) => {
        throw toLlmError(error, `task ${task.name}`);
      });
    const latencyMs = performance.now() - started;
    const where = `openai task ${task.name} (model ${this.options.chatModel})`;

    const choice = response.choices[0];
    if (choice === undefined) throw new LlmOutputError(`${where} returned no choices`, true);
    if (choice.message.refusal) {
      throw new LlmOutputError(`${where} refused: ${choice.message.refusal.slice(0, 200)}`, false);
    }
    if (choice.finish_reason === "length") {
      throw new LlmOutputError(`${where} stopped at its token limit before the answer was complete`, true);
    }
    const content = choice.message.content ?? "";
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw new LlmOutputError(
        `${where} returned malformed JSON (${(error as Error).message}); first characters: ${JSON.stringify(content.slice(0, 80))}`,
        true,
        [],
        { cause: error },
      );
    }
    const answered = wire.schema.safeParse(json);
    if (!answered.success) throw schemaMismatch(where, answered.error);
    // The decoded answer is checked again: a decoder bug must not pass a wrong shape on.
    const parsed = task.schema.safeParse(wire.decode(answered.data));
    if (!parsed.success) throw schemaMismatch(where, parsed.error);
    const usage = usageOf(response.usage, where);
    return { value: parsed.data, call: this.call("completion", task.name, 1, latencyMs, usage.prompt_tokens, usage.completion_tokens ?? 0) };
  }

  async embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    const vectors: number[][] = [];
    const calls: LlmCall[] = [];
    // Batches go one after another: one envelope rarely needs more than one, and a backfill
    // should not multiply its request rate against the account's limits.
    for (let start = 0; start < texts.length; start += this.options.embeddingBatchSize) {
      const batch = texts.slice(start, start + this.options.embeddingBatchSize);
      const started = performance.now();
      const response = await this.embeddingClient.embeddings
        .create({
          model: this.options.embeddingModel,
          input: [...batch],
          ...(this.options.sendDimensions ? { dimensions: this.options.embeddingDimension } : {}),
          encoding_format: "float",
        })
        .catch((error: unknown) => {
          throw toLlmError(error, "embeddings");
        });
      const latencyMs = performance.now() - started;
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      if (ordered.length !== batch.length) {
        throw new LlmOutputError(`openai embeddings returned ${ordered.length} vectors for ${batch.length} inputs`, true);
      }
      for (const item of ordered) {
        if (item.embedding.length !== this.embeddingDimension) {
          throw new LlmOutputError(
            `openai embeddings (model ${this.options.embeddingModel}) returned ${item.embedding.length} dimensions; EMBEDDING_DIMENSION is ${this.embeddingDimension}`,
            false,
          );
        }
        vectors.push(item.embedding);
      }
      const usage = usageOf(response.usage, `openai embeddings (model ${this.options.embeddingModel})`);
      calls.push(this.call("embedding", "embed", batch.length, latencyMs, usage.prompt_tokens, 0));
    }
    return { vectors, calls };
  }

  private call(kind: LlmCall["kind"], task: string, inputs: number, latencyMs: number, promptTokens = 0, completionTokens = 0): LlmCall {
    const model = kind === "completion" ? this.options.chatModel : this.options.embeddingModel;
    return { provider: this.name, model, kind, task, inputs, promptTokens, completionTokens, latencyMs };
  }
}

function schemaMismatch(where: string, error: z.ZodError): LlmOutputError {
  const issues = fieldIssuesFromZod(error);
  const listed = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join("; ");
  return new LlmOutputError(`${where} returned JSON that does not match the schema: ${listed}`, true, issues);
}

/**
 * Spend is accounted per call, so an answer must say what it cost. Some OpenAI-compatible
 * servers leave `usage` out; that is the server's configuration, which no retry changes.
 */
function usageOf<Usage extends { prompt_tokens: number; completion_tokens?: number }>(usage: Usage | undefined | null, where: string): Usage {
  if (typeof usage?.prompt_tokens !== "number") {
    throw new LlmOutputError(`${where} answered without usage.prompt_tokens; the server must report token usage`, false, [
      { path: "usage.prompt_tokens", message: "Required" },
    ]);
  }
  return usage;
}

/** The client has already retried what can be retried; this says what the caller may still do. */
function toLlmError(error: unknown, what: string): Error {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmUnavailableError(`openai ${what}: timed out after the client's retries`, { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new LlmUnavailableError(`openai ${what}: could not connect (${error.message})`, { cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const message = `openai ${what}: HTTP ${status} ${error.message}`;
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return new LlmUnavailableError(message, { cause: error });
    }
    return new LlmRequestError(message, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
