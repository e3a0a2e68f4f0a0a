import { actionItemRunSummarySchema } from "@dealgraph/contracts";
import { drivenPipeline, type PipelineModule } from "@dealgraph/pipeline-kit";
import { openActionItemPipeline, summarizeActionItemRun } from "./pipeline/open-action-item-pipeline";
import { ITEM_ORPHAN_CHECKS, ITEM_PROJECTION_KINDS } from "./projection/item-projection-kinds";

/** The action-item pipeline as the fleet knows it (DESIGN §5): commitments, owners and topics in the action-item graph. */
export const actionItemPipelineModule: PipelineModule = {
  name: "action_items",
  graph: "action_items",
  workerName: "worker-action-items",
  healthPort: (config) => config.workers.actionItemsPort,
  // Every interaction can hold commitments; one without an account keeps them among the tenant's account-less items.
  skipReason: () => null,
  runSummarySchema: actionItemRunSummarySchema,
  projectionKinds: ITEM_PROJECTION_KINDS,
  orphanChecks: ITEM_ORPHAN_CHECKS,
  open: async (config, deps) => drivenPipeline(await openActionItemPipeline(config, deps), summarizeActionItemRun),
};
