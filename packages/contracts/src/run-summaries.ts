import { z } from "zod";

const runStatus = z.enum(["processed", "skipped", "already_applied"]);
const runError = z.object({ index: z.number().int(), stage: z.string(), message: z.string() });

/**
 * What a worker keeps of a pipeline run: the job's return value, the inbox's result column, and
 * what `GET /v1/envelopes/:id` shows under `completed`. Small on purpose: ids and counts, no text.
 */
export const actionItemRunSummarySchema = z.object({
  status: runStatus,
  created: z.array(z.string()),
  updated: z.array(z.string()),
  mentioned: z.array(z.string()),
  topics: z.object({ created: z.array(z.string()), updated: z.array(z.string()) }),
  item_count: z.number().int(),
  projection: z.enum(["projected", "failed"]),
  warnings: z.number().int(),
  errors: z.array(runError),
  ms: z.number(),
});
export type ActionItemRunSummary = z.infer<typeof actionItemRunSummarySchema>;

export const dealRunSummarySchema = z.object({
  status: runStatus,
  created: z.array(z.string()),
  merged: z.array(z.string()),
  deal_count: z.number().int(),
  projection: z.enum(["projected", "failed"]),
  warnings: z.number().int(),
  errors: z.array(runError),
  ms: z.number(),
});
export type DealRunSummary = z.infer<typeof dealRunSummarySchema>;
