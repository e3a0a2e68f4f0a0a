export { AccountLanes, type LaneHold } from "./account-lane";
export { EnvelopeWorker, type EnvelopeWorkerOptions } from "./envelope-worker";
export { checkReadiness, readinessAnswer, startHealthServer, type HealthServerOptions } from "./health-server";
export { throttleFailedLogins } from "./failed-logins";
export { WorkerMetrics, registerQueueDepths } from "./worker-metrics";
export { runWorkerProcess } from "./run-worker-process";
export { ProjectionWorker, type ProjectionWorkerOptions } from "./projection-worker";
export { answerClientError, routingRefusal } from "./http-refusals";
export { runMain, startService, stopOnSignals } from "./process-lifecycle";
