import type { Config } from "@dealgraph/config";
import type { DealRunSummary } from "@dealgraph/contracts";
import type { GraphClient } from "@dealgraph/graph";
import type { LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import type { MatchThresholds } from "@dealgraph/matching";
import { GraphProjector, openOnGraph, summarizeRun, type InProjection, type PipelineDeps, type PipelineOnGraph } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { DealGraphRepository } from "../graph/deal-graph-repository";
import { Neo4jDealStore } from "../graph/neo4j-deal-store";
import { DealProjectionRepository, type ProjectionCounts } from "../projection/deal-projection-repository";
import { DealPipeline } from "./deal-pipeline";
import type { DealPipelineResult } from "./deal-pipeline-result";

/** The deal pipeline on a deal graph and a Postgres pool: its Neo4j store and projector injected. */
export function dealPipelineOn(
  graph: GraphClient,
  db: Kysely<Database>,
  options: { llm: LlmProvider; thresholds: MatchThresholds; logger: Logger; mintId?: () => string },
): DealPipeline {
  const deals = new DealGraphRepository();
  const rows = new DealProjectionRepository(db);
  const projector = new GraphProjector(graph, {
    async read(tx, tenantId, interactionId, linked: readonly string[] | null) {
      const interaction = await deals.readInteraction(tx, tenantId, interactionId);
      return { interaction: interaction?.properties ?? null, deals: await deals.readForProjection(tx, tenantId, linked ?? interaction?.dealIds ?? []) };
    },
    write: (tenantId, source, alongside?: InProjection<ProjectionCounts>) => rows.project({ tenantId, ...source }, alongside),
  });
  return new DealPipeline({ ...options, store: new Neo4jDealStore(graph), projector });
}

/** The deal pipeline wired to the configured deal graph (schema applied), model and Postgres: the worker and the CLI both start here. */
export function openDealPipeline(config: Config, deps: PipelineDeps): Promise<PipelineOnGraph<DealPipeline>> {
  return openOnGraph(config, "deals", deps, (graph, llm) => dealPipelineOn(graph, deps.db, { llm, thresholds: config.dealMatching, logger: deps.logger }));
}

/** The small summary a worker keeps as the job's return value (and the API shows as the status). */
export function summarizeDealRun(result: DealPipelineResult): { summary: DealRunSummary; llm: DealPipelineResult["llm"]; projectionFailed: boolean } {
  return summarizeRun(result, { created: result.created, merged: result.merged, deal_count: result.dealCount });
}
