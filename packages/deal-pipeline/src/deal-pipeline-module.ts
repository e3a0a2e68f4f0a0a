import { dealRunSummarySchema } from "@dealgraph/contracts";
import { graphClientName } from "@dealgraph/graph";
import type { PipelineModule } from "@dealgraph/pipeline-kit";
import { openDealPipeline, summarizeDealRun } from "./pipeline/open-deal-pipeline";
import { DEAL_ORPHAN_CHECKS, DEAL_PROJECTION_KINDS } from "./projection/deal-projection-kinds";

/** The deal pipeline as the fleet knows it (DESIGN §6): MEDDIC-qualified opportunities in the deal graph. */
export const dealPipelineModule: PipelineModule = {
  name: "deals",
  graph: "deals",
  workerName: "worker-deals",
  healthPort: (config) => config.workers.dealsPort,
  // A deal belongs to an account: without one there is nothing to match or merge it with.
  skipReason: (envelope) => (envelope.account_id === undefined ? "the envelope has no account_id" : null),
  runSummarySchema: dealRunSummarySchema,
  projectionKinds: DEAL_PROJECTION_KINDS,
  orphanChecks: DEAL_ORPHAN_CHECKS,
  async open(config, deps) {
    const { pipeline, graph, close } = await openDealPipeline(config, deps);
    return {
      process: async (envelope) => summarizeDealRun(await pipeline.process(envelope)),
      async reproject(tenantId, interactionId) {
        const outcome = await pipeline.reproject(tenantId, interactionId);
        return outcome.status === "projected" ? { ok: true } : { ok: false, error: outcome.error, retryable: outcome.retryable };
      },
      checks: { [graphClientName("deals")]: () => graph.ping() },
      graphRoundTrips: () => graph.roundTrips(),
      close,
    };
  },
};
