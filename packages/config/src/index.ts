export { envSchema, type Env } from "./env-schema";
export { loadConfig, parseConfig, type Config, type LlmConfig, type Neo4jConnectionConfig } from "./load-config";
export { OFFLINE_EMBEDDING_MODEL_NAMES, offlineEmbeddingModel, type OfflineEmbeddingModel } from "./offline-embedding-models";
