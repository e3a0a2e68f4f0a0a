export { QUEUE_NAMES, envelopeJobId, type QueueName } from "./queue-names";
export { RedisEvictionPolicyError, assertNoEviction, createRedisConnection } from "./redis-connection";
export {
  CAPPED_BACKOFF,
  PIPELINES,
  PIPELINE_QUEUES,
  cappedBackoff,
  deadLetterSchema,
  envelopeJobOptions,
  envelopeJobSchema,
  projectionJobOptions,
  type DeadLetter,
  type EnvelopeJob,
  type Pipeline,
} from "./envelope-jobs";
export { EnvelopeProducer } from "./envelope-producer";
export { DeadLetters } from "./dead-letters";
export { EnvelopeIntake, FINAL_STATES, conflictIssues, isConflicting, type Acceptance, type Accepted, type Conflicting, type EnvelopeStatus, type PipelineState } from "./envelope-intake";
export { closeQuietly, openQueue } from "./open-queue";
export { keyRevocationChannel, listenForKeyRevocations, publishKeyRevocation, type KeyRevocationListener } from "./key-revocations";
