export { QUEUE_NAMES, envelopeJobId, type QueueName } from "./queue-names";
export { RedisEvictionPolicyError, assertNoEviction, createRedisConnection } from "./redis-connection";
