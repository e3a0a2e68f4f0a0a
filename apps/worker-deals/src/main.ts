import { DealPipeline, DealProjectionRepository } from "@dealgraph/deal-pipeline";
import { GraphClient, applyGraphSchema } from "@dealgraph/graph";
import { createLlmProvider } from "@dealgraph/llm";
import { runWorkerProcess } from "@dealgraph/worker-runtime";

/** The deal worker: consumes the `deals` queue only. */
void runWorkerProcess({
  pipeline: "deals",
  name: "worker-deals",
  port: (config) => config.workers.dealsPort,
  async createProcessor(config, db, logger) {
    const graph = GraphClient.connect(config.dealGraph, { name: "deal-graph", logger });
    await applyGraphSchema(graph, "deals", config.embeddings.dimension);
    const pipeline = new DealPipeline({
      graph,
      llm: createLlmProvider(config),
      projection: new DealProjectionRepository(db),
      thresholds: config.dealMatching,
      logger,
    });
    return {
      async process(envelope) {
        const result = await pipeline.process(envelope);
        return {
          summary: {
            status: result.status,
            created: result.created,
            merged: result.merged,
            deal_count: result.dealCount,
            projection: result.projection.status,
            warnings: result.warnings.length,
            errors: result.errors,
            ms: result.timings.total,
          },
          llm: result.llm,
        };
      },
      checks: { "deal-graph": () => graph.ping() },
      close: () => graph.close(),
    };
  },
}).catch((error: unknown) => {
  process.stderr.write(`worker-deals: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
