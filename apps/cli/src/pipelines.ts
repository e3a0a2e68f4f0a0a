import { ActionItemPipeline, ItemProjectionRepository } from "@dealgraph/action-item-pipeline";
import type { Config } from "@dealgraph/config";
import { DealPipeline, DealProjectionRepository } from "@dealgraph/deal-pipeline";
import { GraphClient, applyGraphSchema } from "@dealgraph/graph";
import { createLlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import { createDatabase } from "@dealgraph/store";

export interface InProcessPipelines {
  actionItems: ActionItemPipeline;
  deals: DealPipeline;
  close(): Promise<void>;
}

/** The pipelines wired to the configured graph, Postgres and model, for in-process runs. */
export async function openPipelines(config: Config, logger: Logger): Promise<InProcessPipelines> {
  const aiGraph = GraphClient.connect(config.aiGraph, { name: "ai-graph", logger });
  const dealGraph = GraphClient.connect(config.dealGraph, { name: "deal-graph", logger });
  const db = createDatabase({
    url: config.postgres.url,
    applicationName: "dealgraph-cli",
    onIdleConnectionError: (error) => logger.warn({ err: error.message }, "postgres dropped an idle connection"),
  });
  const close = async () => {
    await Promise.allSettled([aiGraph.close(), dealGraph.close(), db.destroy()]);
  };
  try {
    await applyGraphSchema(aiGraph, "ai", config.embeddings.dimension);
    await applyGraphSchema(dealGraph, "deals", config.embeddings.dimension);
  } catch (error) {
    await close();
    throw error;
  }
  const llm = createLlmProvider(config);
  return {
    actionItems: new ActionItemPipeline({
      graph: aiGraph,
      llm,
      projection: new ItemProjectionRepository(db),
      thresholds: config.actionItemMatching,
      logger,
    }),
    deals: new DealPipeline({ graph: dealGraph, llm, projection: new DealProjectionRepository(db), thresholds: config.dealMatching, logger }),
    close,
  };
}
