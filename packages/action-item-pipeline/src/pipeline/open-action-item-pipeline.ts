import type { Config } from "@dealgraph/config";
import { mintEntityId, type ActionItemRunSummary } from "@dealgraph/contracts";
import { openGraph, type GraphClient } from "@dealgraph/graph";
import { createLlmProvider, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import type { MatchThresholds } from "@dealgraph/matching";
import type { PipelineDeps } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { Neo4jActionItemStore } from "../graph/neo4j-action-item-store";
import { ActionItemGraphProjector } from "../projection/action-item-graph-projector";
import { ActionItemPipeline } from "./action-item-pipeline";
import type { ActionItemPipelineResult } from "./action-item-pipeline-result";

/** The action-item pipeline on an action-item graph and a Postgres pool: its Neo4j store and projector injected. */
export function actionItemPipelineOn(
  graph: GraphClient,
  db: Kysely<Database>,
  options: { llm: LlmProvider; thresholds: MatchThresholds; logger: Logger; mintId?: () => string },
): ActionItemPipeline {
  const mintId = options.mintId ?? mintEntityId;
  return new ActionItemPipeline({ ...options, mintId, store: new Neo4jActionItemStore(graph, mintId), projector: new ActionItemGraphProjector(graph, db) });
}

/**
 * The action-item pipeline wired to the configured action-item graph (schema applied), model
 * and Postgres. The one place this wiring lives: the worker and the CLI both start here.
 */
export async function openActionItemPipeline(config: Config, deps: PipelineDeps): Promise<{ pipeline: ActionItemPipeline; graph: GraphClient; close(): Promise<void> }> {
  const graph = await openGraph(config, "action_items", deps.logger);
  const pipeline = actionItemPipelineOn(graph, deps.db, { llm: deps.llm ?? createLlmProvider(config), thresholds: config.actionItemMatching, logger: deps.logger });
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
