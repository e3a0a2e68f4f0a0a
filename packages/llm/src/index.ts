export { createLlmProvider } from "./create-llm-provider";
export { extractActionItems, extractDeals, type ExtractionOutcome } from "./extract-interaction";
export { extractActionItemsTask, extractDealsTask, type InteractionText } from "./extraction-tasks";
export { decideMatchesTask, type MatchBatch } from "./match-tasks";
export { LlmOutputError, LlmRequestError, LlmUnavailableError } from "./llm-errors";
export { cosineSimilarity, hashingEmbedding } from "./offline/hashing-embedder";
export { OfflineProvider } from "./offline/offline-provider";
export { OpenAiProvider, type OpenAiProviderOptions } from "./openai/openai-provider";
export { totalCalls, type Completion, type EmbeddingBatch, type LlmCall, type LlmProvider, type LlmTask } from "./provider";
