import type { Config } from "@dealgraph/config";
import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { pipelineNameSchema, type PipelineName } from "@dealgraph/contracts";
import { envelopeJobId } from "./queue-names";

/**
 * A pipeline's queues, named after it: its envelopes, its dead letters, and its projection
 * retry path (a graph write whose Postgres projection failed is re-projected from there until
 * it lands). `action_items` has `action-items`, `action-items-dead-letter`, `action-items-projection`.
 */
export function pipelineQueues(pipeline: PipelineName): { queue: string; deadLetter: string; projection: string } {
  const queue = pipeline.replaceAll("_", "-");
  return { queue, deadLetter: `${queue}-dead-letter`, projection: `${queue}-projection` };
}

/**
 * What a pipeline job carries: ids only. BullMQ keeps job data in clear text in Redis, so the
 * transcript stays in the Postgres inbox and the worker reads it from there. Keys it does not
 * know are dropped, not refused: during a rolling deploy a newer api may add one (as `trace`
 * was added) that the older workers still running must not dead-letter the envelope for.
 */
export const envelopeJobSchema = z.object({
  tenant_id: z.uuid(),
  interaction_id: z.uuid(),
  /** The W3C trace context of the request that posted the envelope, so its trace continues in the workers. */
  trace: z.record(z.string(), z.string().max(512)).optional(),
});
export type EnvelopeJob = z.infer<typeof envelopeJobSchema>;

/** What a dead-letter job keeps of the job that used up its attempts. */
export const deadLetterSchema = z.strictObject({
  pipeline: pipelineNameSchema,
  job_id: z.string(),
  payload: envelopeJobSchema,
  error: z.string(),
  code: z.string().nullable(),
  stack: z.string().nullable(),
  attempts: z.number().int(),
  failed_at: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/**
 * Retries back off exponentially from `backoffMs`, with half the delay as random jitter so a
 * burst of failures does not retry in lockstep. Completed jobs are kept a day (a repeated post
 * finds its job id and adds nothing); failed ones a week, for the dashboard.
 */
export function envelopeJobOptions(config: Pick<Config, "workers">, tenantId: string, interactionId: string): JobsOptions {
  return {
    jobId: envelopeJobId(tenantId, interactionId),
    attempts: config.workers.attempts,
    backoff: { type: "exponential", delay: config.workers.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 86_400, count: 100_000 },
    removeOnFail: { age: 7 * 86_400 },
  };
}

/** The projection retry's backoff type: exponential from a base, capped, with jitter. */
export const CAPPED_BACKOFF = "capped-exponential";

/**
 * A projection retry: the same ids as the envelope's job. It is removed once done, so a later
 * failure of the same interaction (a replay) can be queued again; while one waits, another add
 * is ignored, and the waiting one projects the latest state anyway. Many attempts, because it
 * must outlast a database outage; the reconciler repairs whatever still gets through.
 */
export function projectionJobOptions(config: Pick<Config, "projectionRetry">, tenantId: string, interactionId: string): JobsOptions {
  return {
    jobId: envelopeJobId(tenantId, interactionId),
    attempts: config.projectionRetry.attempts,
    backoff: { type: CAPPED_BACKOFF, delay: config.projectionRetry.backoffMs },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 86_400 },
  };
}

/** Delay before attempt `attemptsMade + 1`: base × 2^(attempts − 1), capped, minus up to half as jitter. */
export function cappedBackoff(attemptsMade: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(delay * (1 - random() * 0.5));
}
