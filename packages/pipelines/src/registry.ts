import { actionItemPipelineModule } from "@dealgraph/action-item-pipeline";
import { dealPipelineModule } from "@dealgraph/deal-pipeline";
import type { PipelineModule } from "@dealgraph/pipeline-kit";
import { PipelineRegistry } from "./pipeline-registry";

/** The registry line: a pipeline is added here, and nowhere else outside its own package. */
export const BUILT_IN_PIPELINES: readonly PipelineModule[] = [actionItemPipelineModule, dealPipelineModule];

/** The fleet's pipelines, checked once when a process starts. */
export const pipelines = PipelineRegistry.of(BUILT_IN_PIPELINES);
