export { applyGraphSchema, VectorDimensionMismatchError } from "./apply-graph-schema";
export { GraphClient, type GraphClientOptions, type GraphTransaction } from "./graph-client";
export { GraphError, toGraphError } from "./graph-error";
export { GRAPH_SCHEMAS, schemaStatements, vectorIndexName } from "./graph-schema";
export { plainProperties, plainValue } from "./plain-values";
export {
  factParameters,
  readProcessedInteractions,
  recordedOutcome,
  stampParameters,
  stampedInteraction,
  stampedInteractionCypher,
  upsertInteraction,
  type InteractionFacts,
} from "./interaction-writes";
export { JointStatement } from "./joint-statement";
export { mergeParameters, type MergeWrite, type VersionedLabel } from "./versioned-update";
export { propertiesFromPairs, propertyPairsWithoutVectors } from "./vector-free-properties";
export { planReindex, rebuildVectorIndexes, reembedNodes, type ReindexPlan } from "./reindex-vectors";
export { deleteTenantNodes, graphTenants } from "./tenant-nodes";
export { closeGraphs, connectGraphs, graphClientName, openGraph } from "./connect-graphs";
export { VersionedNodes, readInteractionWithIds, type NewNodeRow, type ProjectedNode, type VersionedNodesSpec } from "./versioned-node-io";
export { REVISION_PROPERTY, newRevision } from "./revision";
