import type { Config } from "@dealgraph/config";
import { OfflineProvider } from "./offline/offline-provider";
import { OnnxSentenceEmbedder } from "./offline/onnx-sentence-embedder";
import { OpenAiProvider } from "./openai/openai-provider";
import type { LlmProvider } from "./provider";
import { SimulatedLatencyProvider } from "./simulated-latency";

/**
 * The provider the configuration names (`offline` when no API key is set), slowed down by the
 * configured simulated latency when there is one.
 */
export function createLlmProvider(config: Pick<Config, "llm" | "embeddings" | "simulatedLatency">): LlmProvider {
  const provider = configuredProvider(config);
  const { completionMs, embeddingMs } = config.simulatedLatency;
  return completionMs > 0 || embeddingMs > 0 ? new SimulatedLatencyProvider(provider, config.simulatedLatency) : provider;
}

function configuredProvider(config: Pick<Config, "llm" | "embeddings">): LlmProvider {
  const { llm, embeddings } = config;
  if (llm.provider === "offline") return new OfflineProvider(OnnxSentenceEmbedder.open(llm.embeddingModel, llm.modelDir));
  return new OpenAiProvider({
    apiKey: llm.apiKey,
    baseUrl: llm.baseUrl,
    embeddingBaseUrl: llm.embeddingBaseUrl,
    chatModel: llm.chatModel,
    embeddingModel: llm.embeddingModel,
    embeddingDimension: embeddings.dimension,
    embeddingBatchSize: embeddings.batchSize,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    sendDimensions: llm.sendDimensions,
    maxOutputTokens: llm.maxOutputTokens,
    ...(llm.temperature === null ? {} : { temperature: llm.temperature }),
  });
}
