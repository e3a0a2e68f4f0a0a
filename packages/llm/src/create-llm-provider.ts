import type { Config } from "@dealgraph/config";
import { OfflineProvider } from "./offline/offline-provider";
import { OpenAiProvider } from "./openai/openai-provider";
import type { LlmProvider } from "./provider";

/** The provider the configuration names; `offline` when no API key is set. */
export function createLlmProvider(config: Pick<Config, "llm" | "embeddings">): LlmProvider {
  const { llm, embeddings } = config;
  if (llm.provider === "offline") return new OfflineProvider(embeddings.dimension);
  return new OpenAiProvider({
    apiKey: llm.apiKey,
    baseUrl: llm.baseUrl,
    chatModel: llm.chatModel,
    embeddingModel: llm.embeddingModel,
    embeddingDimension: embeddings.dimension,
    embeddingBatchSize: embeddings.batchSize,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
  });
}
