import { openDealPipeline, summarizeDealRun } from "@dealgraph/deal-pipeline";
import { runWorkerProcess } from "@dealgraph/worker-runtime";

/** The deal worker: consumes the `deals` queue only. */
void runWorkerProcess({
  pipeline: "deals",
  name: "worker-deals",
  port: (config) => config.workers.dealsPort,
  async createProcessor(config, db, logger) {
    const { pipeline, graph, close } = await openDealPipeline(config, { db, logger });
    return {
      process: async (envelope) => summarizeDealRun(await pipeline.process(envelope)),
      async reproject(tenantId, interactionId) {
        const outcome = await pipeline.reproject(tenantId, interactionId);
        return outcome.status === "projected" ? { ok: true } : { ok: false, error: outcome.error, retryable: outcome.retryable };
      },
      checks: { "deal-graph": () => graph.ping() },
      graphRoundTrips: () => graph.roundTrips(),
      close,
    };
  },
}).catch((error: unknown) => {
  process.stderr.write(`worker-deals: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
