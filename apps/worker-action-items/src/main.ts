import { pipelines } from "@dealgraph/pipelines";
import { runWorkerProcess } from "@dealgraph/worker-runtime";

/** The action-item worker: consumes the `action-items` queue only. */
void runWorkerProcess(pipelines.get("action_items")).catch((error: unknown) => {
  process.stderr.write(`worker-action-items: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
