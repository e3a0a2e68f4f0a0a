export { applyGraphSchema, VectorDimensionMismatchError } from "./apply-graph-schema";
export { GraphClient, type GraphClientOptions } from "./graph-client";
export { GraphError, toGraphError } from "./graph-error";
export { GRAPH_SCHEMAS, schemaStatements, vectorIndexName, type GraphKind } from "./graph-schema";
export { plainProperties, plainValue } from "./plain-values";
export { stampInteraction, upsertInteraction, type InteractionFacts } from "./interaction-writes";
export { assertAllApplied, storeNewEmbeddingsCypher, versionedUpdateCypher, type VersionedLabel } from "./versioned-update";
export { propertiesFromPairs, propertyPairsWithoutVectors } from "./vector-free-properties";
export { planReindex, rebuildVectorIndexes, reembedNodes, type ReindexPlan } from "./reindex-vectors";
