import { pipelines } from "@dealgraph/pipelines";
import { runMain, runWorkerProcess } from "@dealgraph/worker-runtime";

/**
 * A worker of one registered pipeline, named as the argument (`deals`, `action_items`): it
 * consumes that pipeline's queue only. An unknown name stops it at once, listing the registered.
 */
const name = process.argv[2] ?? "";
runMain(`worker ${name}`.trim(), () => Promise.resolve().then(() => runWorkerProcess(pipelines.get(name))));
