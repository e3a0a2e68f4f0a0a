import type { Config } from "@dealgraph/config";
import { DealPipeline, DealProjectionRepository } from "@dealgraph/deal-pipeline";
import { GraphClient, applyGraphSchema } from "@dealgraph/graph";
import { createLlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import { createDatabase } from "@dealgraph/store";

export interface InProcessPipelines {
  deals: DealPipeline;
  close(): Promise<void>;
}

/** The pipelines wired to the configured graph, Postgres and model, for in-process runs. */
export async function openPipelines(config: Config, logger: Logger): Promise<InProcessPipelines> {
  const dealGraph = GraphClient.connect(config.dealGraph, { name: "deal-graph", logger });
  const db = createDatabase({
    url: config.postgres.url,
    applicationName: "dealgraph-cli",
    onIdleConnectionError: (error) => logger.warn({ err: error.message }, "postgres dropped an idle connection"),
  });
  try {
    await applyGraphSchema(dealGraph, "deals", config.embeddings.dimension);
  } catch (error) {
    await Promise.allSettled([dealGraph.close(), db.destroy()]);
    throw error;
  }
  const deals = new DealPipeline({
    graph: dealGraph,
    llm: createLlmProvider(config),
    projection: new DealProjectionRepository(db),
    thresholds: config.dealMatching,
    logger,
  });
  return {
    deals,
    close: async () => {
      await Promise.allSettled([dealGraph.close(), db.destroy()]);
    },
  };
}
