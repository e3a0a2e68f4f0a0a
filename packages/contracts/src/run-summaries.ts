import { z } from "zod";

const runError = z.object({ index: z.number().int(), stage: z.string(), message: z.string() });

/**
 * What a worker keeps of a pipeline run: the job's return value, the inbox's result column, and
 * what `GET /v1/envelopes/:id` shows under `completed`. Small on purpose: ids and counts, no
 * text. Every pipeline's summary is this frame around its own counts.
 */
export function runSummarySchema<Counts extends z.ZodRawShape>(counts: Counts) {
  return z.object({
    status: z.enum(["processed", "skipped", "already_applied"]),
    ...counts,
    projection: z.enum(["projected", "failed"]),
    warnings: z.number().int(),
    errors: z.array(runError),
    ms: z.number(),
  });
}

const ids = z.array(z.string());

export const actionItemRunSummarySchema = runSummarySchema({
  created: ids,
  updated: ids,
  mentioned: ids,
  topics: z.object({ created: ids, updated: ids }),
  item_count: z.number().int(),
});
export type ActionItemRunSummary = z.infer<typeof actionItemRunSummarySchema>;

export const dealRunSummarySchema = runSummarySchema({ created: ids, merged: ids, deal_count: z.number().int() });
export type DealRunSummary = z.infer<typeof dealRunSummarySchema>;
