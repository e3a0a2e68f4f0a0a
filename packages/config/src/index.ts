export { envSchema, type Env } from "./env-schema";
export { GRAPH_NAMES, loadConfig, loadDotEnv, parseConfig, type Config, type GraphName, type LlmConfig, type Neo4jConnectionConfig } from "./load-config";
export { OFFLINE_EMBEDDING_MODEL_NAMES, offlineEmbeddingModel, type OfflineEmbeddingModel } from "./offline-embedding-models";
export { pipelineModuleFiles } from "./pipeline-modules";
export { knownVariables, renderEnvExample } from "./env-example";
export { localServicesSchema } from "./local-services-schema";
export { shellEnvironment, shellExports } from "./shell-environment";
