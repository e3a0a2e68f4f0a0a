export { AccountLanes, type LaneHold } from "./account-lane";
export { EnvelopeWorker, type EnvelopeWorkerOptions, type PipelineRun } from "./envelope-worker";
export { checkReadiness, startHealthServer, type HealthServerOptions } from "./health-server";
export { WorkerMetrics, registerQueueDepths } from "./worker-metrics";
export { runWorkerProcess, type PipelineProcessor, type WorkerProcessOptions } from "./run-worker-process";
export { ProjectionWorker, type ProjectionWorkerOptions, type ReprojectOutcome } from "./projection-worker";
export { answerClientError, routingRefusal } from "./http-refusals";
