import { DEAL_STAGES } from "@dealgraph/extraction";
import { z } from "zod";

/*
 * The labelled-set format (examples/eval/README.md): per-transcript gold deals and action items
 * with keyword groups, and account series with end-state checks. Validated on load so that a
 * user's own set with a typo fails with the field named, not with a wrong score.
 */

/** Each group is "alt1|alt2|..."; an entry matches when at least ceil(n/2) of its n groups do. */
const keywordGroups = z.array(z.string().min(1)).min(1);
const inclusiveRange = z.tuple([z.number(), z.number()]);
/** One [lo, hi] or a list of them (annual value and total contract value, say). */
const rangeList = z
  .union([inclusiveRange, z.array(inclusiveRange).min(1)])
  .transform((value): Array<[number, number]> => (typeof value[0] === "number" ? [value as [number, number]] : (value as Array<[number, number]>)));
const amountRanges = rangeList.nullable();
const stage = z.enum(DEAL_STAGES);
/** A stage or a list of acceptable ones. */
const stageList = z.union([stage, z.array(stage).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));
/** null when the call does not make the stage clear (not scored). */
const stageSpec = stageList.nullable();
/** A name the system must find, null when none is stated (the field should stay empty), "?" when not scored. */
const personSpec = z.string().min(1).nullable();

export const goldDealSchema = z.object({
  description: z.string(),
  keywords: keywordGroups,
  amount_range: amountRanges,
  currency: z.string().length(3).nullable(),
  stage: stageSpec,
  economic_buyer: personSpec,
  champion: personSpec,
  evidence: z.string(),
  optional: z.boolean().default(false),
  note: z.string().optional(),
});
export type GoldDeal = z.infer<typeof goldDealSchema>;

export const goldItemSchema = z.object({
  owner: z.string().min(1).nullable(),
  keywords: keywordGroups,
  status: z.enum(["open", "done"]),
  evidence: z.string(),
  optional: z.boolean().default(false),
  conditional: z.boolean().default(false),
  note: z.string().optional(),
});
export type GoldItem = z.infer<typeof goldItemSchema>;

const mustNotItemSchema = z.object({ owner: z.string().min(1).nullable(), keywords: keywordGroups, evidence: z.string() });
const mustNotDealSchema = z.object({ keywords: keywordGroups, evidence: z.string() });
export type MustNotItem = z.infer<typeof mustNotItemSchema>;
export type MustNotDeal = z.infer<typeof mustNotDealSchema>;

export const goldTranscriptSchema = z.object({
  id: z.string().min(1),
  file: z.string().min(1),
  kind: z.string().default(""),
  deals: z.array(goldDealSchema).default([]),
  action_items: z.array(goldItemSchema).default([]),
  must_not_items: z.array(mustNotItemSchema).default([]),
  must_not_deals: z.array(mustNotDealSchema).default([]),
});
export type GoldTranscript = z.infer<typeof goldTranscriptSchema>;

const checkBase = { name: z.string().min(1), deal_keywords: keywordGroups.optional() };
export const seriesCheckSchema = z.discriminatedUnion("type", [
  z.object({ ...checkBase, type: z.literal("deal_count"), equals: z.number().int().min(0) }),
  z.object({ ...checkBase, type: z.literal("final_stage"), equals: stageList }),
  z.object({ ...checkBase, type: z.literal("amount"), range: rangeList }),
  z.object({ ...checkBase, type: z.literal("currency"), equals: z.string().length(3) }),
  z.object({ ...checkBase, type: z.literal("economic_buyer"), name_is: z.string().min(1) }),
  z.object({ ...checkBase, type: z.literal("champion"), name_is: z.string().min(1) }),
  z.object({
    ...checkBase,
    type: z.literal("item"),
    owner: z.string().min(1).nullable(),
    keywords: keywordGroups,
    count: z.number().int().min(0).default(1),
    status: z.enum(["open", "done"]).optional(),
  }),
]);
export type SeriesCheck = z.infer<typeof seriesCheckSchema>;

export const goldSeriesSchema = z.object({
  id: z.string().min(1),
  account_id: z.string().min(1),
  calls: z.array(z.object({ transcript: z.string().min(1), timestamp: z.iso.datetime({ offset: true }), targeted: z.boolean().default(false) })).min(1),
  expected: z.string().default(""),
  checks: z.array(seriesCheckSchema),
});
export type GoldSeries = z.infer<typeof goldSeriesSchema>;

export const goldSetSchema = z
  .object({
    version: z.union([z.number(), z.string()]).optional(),
    about: z.string().optional(),
    transcripts: z.array(goldTranscriptSchema).min(1),
    series: z.array(goldSeriesSchema).default([]),
  })
  .superRefine((set, ctx) => {
    const ids = new Set(set.transcripts.map((t) => t.id));
    set.series.forEach((series, s) =>
      series.calls.forEach((call, c) => {
        if (!ids.has(call.transcript)) {
          ctx.addIssue({ code: "custom", path: ["series", s, "calls", c, "transcript"], message: `No transcript with id ${call.transcript}` });
        }
      }),
    );
  });
export type GoldSet = z.infer<typeof goldSetSchema>;
