import { pipelines } from "@dealgraph/pipelines";
import { runWorkerProcess } from "@dealgraph/worker-runtime";

/** The deal worker: consumes the `deals` queue only. */
void runWorkerProcess(pipelines.get("deals")).catch((error: unknown) => {
  process.stderr.write(`worker-deals: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
