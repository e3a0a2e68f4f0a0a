import { z } from "zod";
import { pipelineNameSchema } from "./pipeline-name";

/*
 * What the api answers, as schemas: the api's OpenAPI document is generated from them, and the
 * client validates every answer against them, so the two cannot drift apart.
 */

const fieldIssueSchema = z.object({
  path: z.string().describe("Where in the request: `content.text`, or `3.tenant_id` for the fourth envelope of an array"),
  message: z.string(),
});

/** The one shape of every refusal. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string().describe("Stable and machine-readable: VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, CONFLICT, RATE_LIMITED, ..."),
    message: z.string(),
    issues: z.array(fieldIssueSchema).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const acceptedSchema = z.object({
  interaction_id: z.string(),
  duplicate: z.boolean().describe("The envelope was already in the inbox: nothing new was enqueued"),
  jobs: z.record(pipelineNameSchema, z.string().nullable()).describe("Each pipeline's job id; null for a pipeline with nothing to do"),
});
export type Accepted = z.infer<typeof acceptedSchema>;

export const acceptedBatchSchema = z.object({ accepted: z.array(acceptedSchema) });

/** 409 to an array: the refusal, and what became of each envelope (the others went in as usual). */
export const batchConflictSchema = apiErrorSchema.extend({
  accepted: z.array(
    z.union([acceptedSchema.extend({ index: z.number().int() }), z.object({ index: z.number().int(), interaction_id: z.string(), conflict: z.literal(true) })]),
  ),
});

export const pipelineStateSchema = z.union([
  z.object({
    state: z.enum(["waiting", "active", "failed"]),
    attempts: z.number().int(),
    last_error: z.string().optional(),
    note: z.string().optional(),
  }),
  z.object({ state: z.literal("completed"), result: z.unknown().describe("The pipeline's run summary") }),
  z.object({ state: z.literal("dead_lettered"), error: z.unknown() }),
  z.object({ state: z.literal("skipped"), reason: z.string() }),
]);
export type PipelineState = z.infer<typeof pipelineStateSchema>;

export const envelopeStatusSchema = z.object({
  interaction_id: z.string(),
  account_id: z.string().nullable(),
  occurred_at: z.string(),
  received_at: z.string(),
  pipelines: z.record(pipelineNameSchema, pipelineStateSchema),
});
export type EnvelopeStatus = z.infer<typeof envelopeStatusSchema>;

export const tenantSchema = z.object({ tenant_id: z.string() });
