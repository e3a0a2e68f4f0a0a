import path from "node:path";
import { actionItemPipelineModule } from "@dealgraph/action-item-pipeline";
import { pipelineModuleFiles } from "@dealgraph/config";
import { dealPipelineModule } from "@dealgraph/deal-pipeline";
import { ConfigError } from "@dealgraph/errors";
import type { PipelineModule } from "@dealgraph/pipeline-kit";
import { PipelineRegistry } from "./pipeline-registry";

/** The registry line: a pipeline is added here, and nowhere else outside its own package. */
export const BUILT_IN_PIPELINES: readonly PipelineModule[] = [actionItemPipelineModule, dealPipelineModule];

/** The modules PIPELINE_MODULES names, each file's `pipelineModule` export. */
function externalModules(): PipelineModule[] {
  return pipelineModuleFiles().map((file) => {
    // A file the operator named; loaded once, at start-up, like the built-ins' packages.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.resolve(file)) as { pipelineModule?: PipelineModule };
    if (loaded.pipelineModule === undefined) throw new ConfigError([{ path: "PIPELINE_MODULES", message: `${file} exports no pipelineModule` }]);
    return loaded.pipelineModule;
  });
}

/** The fleet's pipelines (the built-ins, then PIPELINE_MODULES'), checked once when a process starts. */
export const pipelines = PipelineRegistry.of([...BUILT_IN_PIPELINES, ...externalModules()]);
