import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { OfflineEmbeddingModel } from "@dealgraph/config";
import { ConfigError } from "@dealgraph/errors";
import type { Tokenizer } from "@huggingface/tokenizers" with { "resolution-mode": "import" };
import type * as Onnx from "onnxruntime-node";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { SentenceEmbedder } from "./sentence-embedder";

type OnnxRuntime = typeof Onnx;

/*
 * A sentence-embedding model run in this process on the CPU: the model's tokenizer, one ONNX
 * forward pass per batch, the pooling the model was trained with (mean over real tokens, or the
 * [CLS] vector), then L2 normalisation so that a dot product is the cosine. Batches are cut by
 * length so that short sentences are not padded to the longest text of the call.
 */

// The package is ESM-first but ships a CommonJS build, which this CommonJS workspace loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tokenizers = require("@huggingface/tokenizers") as { Tokenizer: typeof Tokenizer };

const BATCH = 32;
/** Texts already embedded, by text: the extractor embeds the same sentences for several tasks. */
const CACHE_ENTRIES = 20_000;

type Encoded = { ids: number[]; attention_mask: number[] };

export class OnnxSentenceEmbedder implements SentenceEmbedder {
  readonly model: string;
  readonly dimension: number;
  private session: Promise<{ runtime: OnnxRuntime; session: InferenceSession }> | null = null;
  private readonly tokenizer: Tokenizer;
  private readonly cache = new Map<string, number[]>();

  private constructor(
    private readonly spec: OfflineEmbeddingModel,
    private readonly onnxPath: string,
    tokenizerJson: object,
  ) {
    this.model = spec.name;
    this.dimension = spec.dimension;
    this.tokenizer = new tokenizers.Tokenizer(tokenizerJson, {});
  }

  /** Checks the files now, so that a missing model stops start-up with the command that installs it. */
  static open(spec: OfflineEmbeddingModel, modelDir: string): OnnxSentenceEmbedder {
    const dir = path.join(modelDir, spec.name);
    const onnxPath = path.join(dir, "model.onnx");
    const tokenizerPath = path.join(dir, "tokenizer.json");
    if (!existsSync(onnxPath) || !existsSync(tokenizerPath)) {
      throw new ConfigError([
        { path: "OFFLINE_MODEL_DIR", message: `the offline embedding model ${spec.name} is not installed in ${dir}; run: bash scripts/models.sh ${spec.name}` },
      ]);
    }
    return new OnnxSentenceEmbedder(spec, onnxPath, JSON.parse(readFileSync(tokenizerPath, "utf8")) as object);
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    // Similar lengths share a batch, so padding stays small.
    const order = missing.map((text) => ({ text, encoded: this.encode(text) })).sort((a, b) => a.encoded.ids.length - b.encoded.ids.length);
    for (let start = 0; start < order.length; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      const vectors = await this.run(batch.map((b) => b.encoded));
      batch.forEach((b, i) => this.remember(b.text, vectors[i]!));
    }
    return texts.map((text) => this.cache.get(text)!);
  }

  private remember(text: string, vector: number[]): void {
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(text, vector);
  }

  private encode(text: string): Encoded {
    const { ids, attention_mask } = this.tokenizer.encode(`${this.spec.prefix}${text}`);
    const max = this.spec.maxTokens;
    if (ids.length <= max) return { ids, attention_mask };
    // Keep the closing [SEP]: the model never saw a sequence without one.
    return { ids: [...ids.slice(0, max - 1), ids[ids.length - 1]!], attention_mask: attention_mask.slice(0, max) };
  }

  private loadSession(): Promise<{ runtime: OnnxRuntime; session: InferenceSession }> {
    // The runtime is loaded with the first session: a process that never embeds (the api, the
    // dashboard) never loads its native library.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.session ??= Promise.resolve(require("onnxruntime-node") as OnnxRuntime)
      .then(async (runtime) => ({ runtime, session: await runtime.InferenceSession.create(this.onnxPath, { graphOptimizationLevel: "all" }) }))
      .catch((error: unknown) => {
        this.session = null;
        throw error;
      });
    return this.session;
  }

  private async run(batch: readonly Encoded[]): Promise<number[][]> {
    const { runtime, session } = await this.loadSession();
    const { Tensor } = runtime;
    const rows = batch.length;
    const width = Math.max(...batch.map((e) => e.ids.length));
    const ids = new BigInt64Array(rows * width);
    const mask = new BigInt64Array(rows * width);
    batch.forEach((e, r) => {
      e.ids.forEach((id, i) => {
        ids[r * width + i] = BigInt(id);
        mask[r * width + i] = BigInt(e.attention_mask[i] ?? 1);
      });
    });
    const feeds: Record<string, Tensor> = {
      input_ids: new Tensor("int64", ids, [rows, width]),
      attention_mask: new Tensor("int64", mask, [rows, width]),
    };
    if (session.inputNames.includes("token_type_ids")) feeds.token_type_ids = new Tensor("int64", new BigInt64Array(rows * width), [rows, width]);
    const output = (await session.run(feeds))[session.outputNames[0]!]!;
    const hidden = output.data as Float32Array;
    const dim = output.dims[2]!;
    return batch.map((e, r) => this.pool(hidden, r, width, dim, e.ids.length));
  }

  private pool(hidden: Float32Array, row: number, width: number, dim: number, tokens: number): number[] {
    const vector = new Float64Array(dim);
    const from = row * width * dim;
    if (this.spec.pooling === "cls") {
      for (let k = 0; k < dim; k++) vector[k] = hidden[from + k]!;
    } else {
      for (let t = 0; t < tokens; t++) for (let k = 0; k < dim; k++) vector[k]! += hidden[from + t * dim + k]!;
    }
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += vector[k]! * vector[k]!;
    norm = Math.sqrt(norm) || 1;
    return Array.from(vector, (v) => v / norm);
  }
}
