import type { Config } from "@dealgraph/config";
import type { DealRunSummary } from "@dealgraph/contracts";
import { GraphClient, applyGraphSchema, graphClientName } from "@dealgraph/graph";
import { createLlmProvider, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { DealProjectionRepository } from "../projection/deal-projection-repository";
import { DealPipeline } from "./deal-pipeline";
import type { DealPipelineResult } from "./deal-pipeline-result";

export interface OpenDealPipeline {
  pipeline: DealPipeline;
  graph: GraphClient;
  /** Closes the graph driver; the caller owns the Postgres pool it passed in. */
  close(): Promise<void>;
}

/**
 * The deal pipeline wired to the configured deal graph (schema applied), model and Postgres.
 * The one place this wiring lives: the deal worker and the CLI both start here.
 */
export async function openDealPipeline(
  config: Config,
  deps: { db: Kysely<Database>; logger: Logger; llm?: LlmProvider },
): Promise<OpenDealPipeline> {
  const graph = GraphClient.connect(config.graphs.deals, { name: graphClientName("deals"), logger: deps.logger });
  try {
    await applyGraphSchema(graph, "deals", config.embeddings.dimension);
  } catch (error) {
    await graph.close();
    throw error;
  }
  const pipeline = new DealPipeline({
    graph,
    llm: deps.llm ?? createLlmProvider(config),
    projection: new DealProjectionRepository(deps.db),
    thresholds: config.dealMatching,
    logger: deps.logger,
  });
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
