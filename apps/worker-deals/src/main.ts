import { pipelines } from "@dealgraph/pipelines";
import { runMain, runWorkerProcess } from "@dealgraph/worker-runtime";

/** The deal worker: consumes the `deals` queue only. */
runMain("worker-deals", () => runWorkerProcess(pipelines.get("deals")));
