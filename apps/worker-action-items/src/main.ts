import { ActionItemPipeline, ItemProjectionRepository } from "@dealgraph/action-item-pipeline";
import { GraphClient, applyGraphSchema } from "@dealgraph/graph";
import { createLlmProvider } from "@dealgraph/llm";
import { runWorkerProcess } from "@dealgraph/worker-runtime";

/** The action-item worker: consumes the `action-items` queue only. */
void runWorkerProcess({
  pipeline: "action_items",
  name: "worker-action-items",
  port: (config) => config.workers.actionItemsPort,
  async createProcessor(config, db, logger) {
    const graph = GraphClient.connect(config.aiGraph, { name: "ai-graph", logger });
    await applyGraphSchema(graph, "ai", config.embeddings.dimension);
    const pipeline = new ActionItemPipeline({
      graph,
      llm: createLlmProvider(config),
      projection: new ItemProjectionRepository(db),
      thresholds: config.actionItemMatching,
      logger,
    });
    return {
      async process(envelope) {
        const result = await pipeline.process(envelope);
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
            ms: result.timings.total,
          },
          llm: result.llm,
        };
      },
      checks: { "ai-graph": () => graph.ping() },
      close: () => graph.close(),
    };
  },
}).catch((error: unknown) => {
  process.stderr.write(`worker-action-items: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
