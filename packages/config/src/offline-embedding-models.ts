import { z } from "zod";
import catalogue from "../offline-embedding-models.json";

/*
 * The sentence-embedding models the offline provider can run, each an ONNX file and its
 * tokenizer inside a jar on Maven Central (langchain4j's in-process embedding artifacts). The
 * JSON file is the one list: `scripts/models.sh` reads it to install a model, the embedder to
 * run one.
 */

const thresholds = () => z.strictObject({ autoMerge: z.number().min(0).max(1), askModel: z.number().min(0).max(1) });

const modelSchema = z.strictObject({
  /** Maven coordinates group:artifact:version. */
  artifact: z.string().regex(/^[\w.-]+:[\w.-]+:[\w.-]+$/),
  /** Entry names inside the jar. */
  onnx: z.string().min(1),
  tokenizer: z.string().min(1),
  /** How token vectors become one sentence vector: the model's own training objective decides. */
  pooling: z.enum(["mean", "cls"]),
  dimension: z.number().int().positive(),
  /** Longer inputs are cut to this many tokens (the model's position limit or its training length). */
  maxTokens: z.number().int().positive(),
  /** Some models were trained with a marker before each text (e5: "query: "). */
  prefix: z.string(),
  /**
   * Default matching thresholds for this model's cosine scale, from `dealgraph eval --match-scores`
   * on the labelled set: merge without asking above every different-deal (different-item) pair
   * seen, ask the model from about where different pairs end. README "Matching" has the figures.
   */
  matching: z.strictObject({ deal: thresholds(), actionItem: thresholds() }),
});
export type OfflineEmbeddingModel = z.infer<typeof modelSchema> & { name: string };

const parsed = z.record(z.string(), modelSchema).parse(catalogue);

export const OFFLINE_EMBEDDING_MODEL_NAMES = Object.keys(parsed) as [string, ...string[]];

export function offlineEmbeddingModel(name: string): OfflineEmbeddingModel {
  const model = parsed[name];
  if (!model) throw new Error(`unknown offline embedding model ${name}`);
  return { ...model, name };
}
