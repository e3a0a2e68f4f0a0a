import { HashingEmbedder, OfflineProvider, type LlmProvider } from "@dealgraph/llm";
import { createLogger, type Logger } from "@dealgraph/logging";
import type { Config } from "@dealgraph/config";

/**
 * What a pipeline's stages run with where nothing else runs: the offline model over a hashing
 * embedder (no ONNX model to load), matching thresholds for its vectors and a silent logger. The
 * unit tests of a pipeline's `process()` pair it with in-memory fakes of the pipeline's ports.
 */
export function offlineStageDeps(embeddingDimension = 32): { llm: LlmProvider; thresholds: Config["dealMatching"]; logger: Logger } {
  return {
    llm: new OfflineProvider(new HashingEmbedder(embeddingDimension)),
    thresholds: { autoMerge: 0.92, askModel: 0.75 },
    logger: createLogger({ name: "pipeline-test", level: "silent" }),
  };
}
