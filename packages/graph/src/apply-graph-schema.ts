import { errorKind } from "@dealgraph/errors";
import type { GraphClient } from "./graph-client";
import { GRAPH_SCHEMAS, schemaStatements, vectorIndexName } from "./graph-schema";
import type { GraphName } from "@dealgraph/config";

/** The graph's vector indexes were built for another dimension than the config asks for. */
export class VectorDimensionMismatchError extends errorKind("VECTOR_DIMENSION_MISMATCH", false) {}

/**
 * Creates the constraints and indexes of one graph (idempotent) and waits until they are online.
 * Run at every start-up: `IF NOT EXISTS` makes the second run a no-op. An existing vector index
 * of another dimension is an error rather than a silent mismatch, because every query against it
 * would fail later, one job at a time.
 */
export async function applyGraphSchema(client: GraphClient, kind: GraphName, dimension: number): Promise<void> {
  for (const statement of schemaStatements(kind, dimension)) {
    await client.runSchemaCommand(statement);
  }
  await client.runSchemaCommand("CALL db.awaitIndexes(300)");

  const expected = new Set(GRAPH_SCHEMAS[kind].vectors.map((v) => vectorIndexName(v.label, v.property)));
  const rows = await client.runSchemaCommand("SHOW VECTOR INDEXES YIELD name, options RETURN name, options.indexConfig.`vector.dimensions` AS dimensions");
  for (const row of rows) {
    const name = String(row.name);
    if (expected.has(name) && Number(row.dimensions) !== dimension) {
      throw new VectorDimensionMismatchError(
        `${client.name}: vector index ${name} has ${String(row.dimensions)} dimensions but EMBEDDING_DIMENSION is ${dimension}; ` +
          `run \`pnpm dealgraph reindex --yes\` to rebuild the vector indexes at ${dimension} and re-embed every node, or set EMBEDDING_DIMENSION to ${String(row.dimensions)}`,
      );
    }
  }
}
