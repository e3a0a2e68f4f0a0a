import { pipelines } from "@dealgraph/pipelines";
import { runMain, runWorkerProcess } from "@dealgraph/worker-runtime";

/** The action-item worker: consumes the `action-items` queue only. */
runMain("worker-action-items", () => runWorkerProcess(pipelines.get("action_items")));
