import { dealRunSummarySchema } from "@dealgraph/contracts";
import { drivenPipeline, type PipelineModule } from "@dealgraph/pipeline-kit";
import { RISK_SIGNAL_ORPHAN_CHECKS, RISK_SIGNAL_PROJECTION_KINDS } from "@dealgraph/risk-signals";
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
  // Risk signals live in the deal graph, so its module reconciles and backfills them too.
  projectionKinds: [...DEAL_PROJECTION_KINDS, ...RISK_SIGNAL_PROJECTION_KINDS],
  orphanChecks: [...DEAL_ORPHAN_CHECKS, ...RISK_SIGNAL_ORPHAN_CHECKS],
  open: async (config, deps) => drivenPipeline(await openDealPipeline(config, deps), summarizeDealRun),
};
