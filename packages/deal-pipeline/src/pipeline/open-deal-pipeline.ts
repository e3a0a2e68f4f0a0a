import type { Config } from "@dealgraph/config";
import type { DealRunSummary } from "@dealgraph/contracts";
import { openGraph, type GraphClient } from "@dealgraph/graph";
import { createLlmProvider, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import type { MatchThresholds } from "@dealgraph/matching";
import type { PipelineDeps } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { Neo4jDealStore } from "../graph/neo4j-deal-store";
import { DealGraphProjector } from "../projection/deal-graph-projector";
import { DealPipeline } from "./deal-pipeline";
import type { DealPipelineResult } from "./deal-pipeline-result";

/** The deal pipeline on a deal graph and a Postgres pool: its Neo4j store and projector injected. */
export function dealPipelineOn(
  graph: GraphClient,
  db: Kysely<Database>,
  options: { llm: LlmProvider; thresholds: MatchThresholds; logger: Logger; mintId?: () => string },
): DealPipeline {
  return new DealPipeline({ ...options, store: new Neo4jDealStore(graph), projector: new DealGraphProjector(graph, db) });
}

/**
 * The deal pipeline wired to the configured deal graph (schema applied), model and Postgres.
 * The one place this wiring lives: the deal worker and the CLI both start here.
 */
export async function openDealPipeline(config: Config, deps: PipelineDeps): Promise<{ pipeline: DealPipeline; graph: GraphClient; close(): Promise<void> }> {
  const graph = await openGraph(config, "deals", deps.logger);
  const pipeline = dealPipelineOn(graph, deps.db, { llm: deps.llm ?? createLlmProvider(config), thresholds: config.dealMatching, logger: deps.logger });
  return { pipeline, graph, close: () => graph.close() };
}

/** The small summary a worker keeps as the job's return value (and the API shows as the status). */
export function summarizeDealRun(result: DealPipelineResult): { summary: DealRunSummary; llm: DealPipelineResult["llm"]; projectionFailed: boolean } {
  return {
    summary: {
      status: result.status,
      created: result.created,
      merged: result.merged,
      deal_count: result.dealCount,
      projection: result.projection.status,
      warnings: result.warnings.length,
      errors: result.errors,
      ms: Math.round(result.timings.total),
    },
    llm: result.llm,
    projectionFailed: result.projection.status === "failed",
  };
}
