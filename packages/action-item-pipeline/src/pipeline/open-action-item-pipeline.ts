import type { Config } from "@dealgraph/config";
import { mintEntityId, type ActionItemRunSummary } from "@dealgraph/contracts";
import type { GraphClient } from "@dealgraph/graph";
import type { LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import type { MatchThresholds } from "@dealgraph/matching";
import { GraphProjector, openOnGraph, summarizeRun, type InProjection, type PipelineDeps, type PipelineOnGraph } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { ActionItemGraphRepository } from "../graph/action-item-graph-repository";
import { Neo4jActionItemStore } from "../graph/neo4j-action-item-store";
import { ItemProjectionRepository, type ItemProjectionCounts } from "../projection/item-projection-repository";
import { ActionItemPipeline } from "./action-item-pipeline";
import type { ActionItemPipelineResult } from "./action-item-pipeline-result";
import type { ActionItemIds } from "./action-item-ports";

/** The action-item pipeline on an action-item graph and a Postgres pool: its Neo4j store and projector injected. */
export function actionItemPipelineOn(
  graph: GraphClient,
  db: Kysely<Database>,
  options: { llm: LlmProvider; thresholds: MatchThresholds; logger: Logger; mintId?: () => string },
): ActionItemPipeline {
  const mintId = options.mintId ?? mintEntityId;
  const nodes = new ActionItemGraphRepository();
  const rows = new ItemProjectionRepository(db);
  const projector = new GraphProjector(graph, {
    async read(tx, tenantId, interactionId, linked: ActionItemIds | null) {
      const interaction = await nodes.readInteraction(tx, tenantId, interactionId);
      const ids = linked ?? { items: interaction?.itemIds ?? [], topics: interaction?.topicIds ?? [] };
      return { interaction: interaction?.properties ?? null, ...(await nodes.readForProjection(tx, tenantId, ids)) };
    },
    write: (tenantId, source, alongside?: InProjection<ItemProjectionCounts>) => rows.project({ tenantId, ...source }, alongside),
  });
  return new ActionItemPipeline({ ...options, mintId, store: new Neo4jActionItemStore(graph, mintId), projector });
}

/** The action-item pipeline wired to the configured action-item graph (schema applied), model and Postgres: the worker and the CLI both start here. */
export function openActionItemPipeline(config: Config, deps: PipelineDeps): Promise<PipelineOnGraph<ActionItemPipeline>> {
  return openOnGraph(config, "action_items", deps, (graph, llm) =>
    actionItemPipelineOn(graph, deps.db, { llm, thresholds: config.actionItemMatching, logger: deps.logger }),
  );
}

/** The small summary a worker keeps as the job's return value (and the API shows as the status). */
export function summarizeActionItemRun(result: ActionItemPipelineResult): {
  summary: ActionItemRunSummary;
  llm: ActionItemPipelineResult["llm"];
  projectionFailed: boolean;
} {
  return summarizeRun(result, {
    created: result.created,
    updated: result.updated,
    mentioned: result.mentioned,
    topics: result.topics,
    item_count: result.itemCount,
  });
}
