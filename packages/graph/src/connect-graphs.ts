import { GRAPH_NAMES, type Config, type GraphName } from "@dealgraph/config";
import type { Logger } from "@dealgraph/logging";
import { applyGraphSchema } from "./apply-graph-schema";
import { GraphClient } from "./graph-client";

/** A client per graph, named `action_items-graph` and `deals-graph` in logs and health checks. */
export function connectGraphs(config: Pick<Config, "graphs">, logger?: Logger): Record<GraphName, GraphClient> {
  return Object.fromEntries(GRAPH_NAMES.map((name) => [name, GraphClient.connect(config.graphs[name], { name: graphClientName(name), logger })])) as Record<
    GraphName,
    GraphClient
  >;
}

export const graphClientName = (name: GraphName) => `${name}-graph`;

/** Closes every client, whichever fail. */
export async function closeGraphs(graphs: Partial<Record<GraphName, GraphClient>>): Promise<void> {
  await Promise.allSettled(Object.values(graphs).map((graph) => graph.close()));
}

/**
 * One graph's client with its schema applied (constraints, vector indexes), and `extraSchema`
 * after it (a pipeline's own constraints: idempotent `IF NOT EXISTS` statements from code);
 * closed again when that fails.
 */
export async function openGraph(
  config: Pick<Config, "graphs" | "embeddings">,
  name: GraphName,
  logger?: Logger,
  extraSchema: readonly string[] = [],
): Promise<GraphClient> {
  const graph = GraphClient.connect(config.graphs[name], { name: graphClientName(name), logger });
  try {
    await applyGraphSchema(graph, name, config.embeddings.dimension);
    for (const statement of extraSchema) await graph.write((tx) => tx.run(statement));
    return graph;
  } catch (error) {
    await graph.close();
    throw error;
  }
}
