import type { Config } from "@dealgraph/config";
import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { QUEUE_NAMES, envelopeJobId } from "./queue-names";


/** The two pipelines an envelope fans out to (DESIGN §2). */
export const PIPELINES = ["action_items", "deals"] as const;
export type Pipeline = (typeof PIPELINES)[number];

export const PIPELINE_QUEUES: Record<Pipeline, { queue: string; deadLetter: string }> = {
  action_items: { queue: QUEUE_NAMES.actionItems, deadLetter: QUEUE_NAMES.actionItemsDeadLetter },
  deals: { queue: QUEUE_NAMES.deals, deadLetter: QUEUE_NAMES.dealsDeadLetter },
};

/**
 * What a pipeline job carries: ids only. BullMQ keeps job data in clear text in Redis, so the
 * transcript stays in the Postgres inbox and the worker reads it from there.
 */
export const envelopeJobSchema = z.strictObject({
  tenant_id: z.uuid(),
  interaction_id: z.uuid(),
});
export type EnvelopeJob = z.infer<typeof envelopeJobSchema>;

/** What a dead-letter job keeps of the job that used up its attempts. */
export const deadLetterSchema = z.strictObject({
  pipeline: z.enum(PIPELINES),
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
