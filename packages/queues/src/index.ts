export { QUEUE_NAMES, envelopeJobId } from "./queue-names";
export {
  RedisEvictionPolicyError,
  assertNoEviction,
  bullConnection,
  closeBullConnection,
  createRedisConnection,
  type RedisClient,
  type RedisSettings,
} from "./redis-connection";
export {
  CAPPED_BACKOFF,
  cappedBackoff,
  deadLetterSchema,
  envelopeJobOptions,
  envelopeJobSchema,
  pipelineQueues,
  projectionJobOptions,
  type DeadLetter,
  type EnvelopeJob,
} from "./envelope-jobs";
export { EnvelopeProducer } from "./envelope-producer";
export { DeadLetters } from "./dead-letters";
export { EnvelopeIntake, FINAL_STATES, conflictIssues, isConflicting, type Acceptance, type Conflicting, type IntakeRoute } from "./envelope-intake";
export { closeQuietly, openPipelineQueues, openQueue } from "./open-queue";
export { keyRevocationChannel, listenForKeyRevocations, publishKeyRevocation, type KeyRevocationListener } from "./key-revocations";
export { enqueueMaintenance, enqueueRiskRefresh, maintenanceJobSchema, type MaintenanceJob } from "./maintenance-jobs";
