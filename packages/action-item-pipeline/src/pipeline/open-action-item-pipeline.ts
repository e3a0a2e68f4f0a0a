import type { Config } from "@dealgraph/config";
import type { ActionItemRunSummary } from "@dealgraph/contracts";
import { GraphClient, applyGraphSchema, graphClientName } from "@dealgraph/graph";
import { createLlmProvider, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { ItemProjectionRepository } from "../projection/item-projection-repository";
import { ActionItemPipeline } from "./action-item-pipeline";
import type { ActionItemPipelineResult } from "./action-item-pipeline-result";

export interface OpenActionItemPipeline {
  pipeline: ActionItemPipeline;
  graph: GraphClient;
  /** Closes the graph driver; the caller owns the Postgres pool it passed in. */
  close(): Promise<void>;
}

/**
 * The action-item pipeline wired to the configured action-item graph (schema applied), model
 * and Postgres. The one place this wiring lives: the worker and the CLI both start here.
 */
export async function openActionItemPipeline(
  config: Config,
  deps: { db: Kysely<Database>; logger: Logger; llm?: LlmProvider },
): Promise<OpenActionItemPipeline> {
  const graph = GraphClient.connect(config.graphs.action_items, { name: graphClientName("action_items"), logger: deps.logger });
  try {
    await applyGraphSchema(graph, "action_items", config.embeddings.dimension);
  } catch (error) {
    await graph.close();
    throw error;
  }
  const pipeline = new ActionItemPipeline({
    graph,
    llm: deps.llm ?? createLlmProvider(config),
    projection: new ItemProjectionRepository(deps.db),
    thresholds: config.actionItemMatching,
    logger: deps.logger,
  });
  return { pipeline, graph, close: () => graph.close() };
}

/** The small summary a worker keeps as the job's return value (and the API shows as the status). */
export function summarizeActionItemRun(result: ActionItemPipelineResult): { summary: ActionItemRunSummary; llm: ActionItemPipelineResult["llm"]; projectionFailed: boolean } {
  return {
    summary: {
      status: result.status,
      created: result.created,
      updated: result.updated,
      mentioned: result.mentioned,
      topics: result.topics,
      item_count: result.itemCount,
      projection: result.projection.status,
      warnings: result.warnings.length,
      errors: result.errors,
      ms: Math.round(result.timings.total),
    },
    llm: result.llm,
    projectionFailed: result.projection.status === "failed",
  };
}
