import { openActionItemPipeline, summarizeActionItemRun } from "@dealgraph/action-item-pipeline";
import { runWorkerProcess } from "@dealgraph/worker-runtime";

/** The action-item worker: consumes the `action-items` queue only. */
void runWorkerProcess({
  pipeline: "action_items",
  name: "worker-action-items",
  port: (config) => config.workers.actionItemsPort,
  async createProcessor(config, db, logger) {
    const { pipeline, graph, close } = await openActionItemPipeline(config, { db, logger });
    return {
      process: async (envelope) => summarizeActionItemRun(await pipeline.process(envelope)),
      async reproject(tenantId, interactionId) {
        const outcome = await pipeline.reproject(tenantId, interactionId);
        return outcome.status === "projected" ? { ok: true } : { ok: false, error: outcome.error, retryable: outcome.retryable };
      },
      checks: { "ai-graph": () => graph.ping() },
      graphRoundTrips: () => graph.roundTrips(),
      close,
    };
  },
}).catch((error: unknown) => {
  process.stderr.write(`worker-action-items: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
