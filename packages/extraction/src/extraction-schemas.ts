import { z } from "zod";
import { ACTION_ITEM_STATUSES, DEAL_STAGES, MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS, QUALIFICATION_EXTRAS } from "./vocabulary";

/*
 * What a provider must return. The shapes suit OpenAI's strict structured outputs: every key is
 * required and absence is `null`, and no schema keyword the strict mode rejects is used. Caps on
 * lengths and counts, clamping and the check that quotes occur in the transcript are the guards'
 * job (extraction-guards.ts), because a too-long answer should be trimmed, not thrown away.
 */

/** Builds `{ key: schema }` for a fixed key list, keeping the keys in the type. */
function objectOf<const K extends readonly string[], S extends z.ZodType>(keys: K, schema: S) {
  return z.strictObject(Object.fromEntries(keys.map((key) => [key, schema])) as { [P in K[number]]: S });
}

const confidence = z.number().describe("0 to 1");

export const actionItemSchema = z.strictObject({
  text: z.string().describe("The commitment as an imperative phrase, e.g. 'Send the revised rollout plan'"),
  owner_name: z.string().nullable().describe("Full name of the person who owes it, as spoken"),
  owner_organization: z.string().nullable(),
  due_hint: z.string().nullable().describe("When it is due, in the transcript's words"),
  status: z.enum(ACTION_ITEM_STATUSES),
  topic: z.string().describe("A short subject the item belongs to, e.g. 'Data migration'"),
  confidence,
  quote: z.string().nullable().describe("The exact transcript words that support the item"),
});
export type ExtractedActionItem = z.infer<typeof actionItemSchema>;

export const actionItemExtractionSchema = z.strictObject({
  action_items: z.array(actionItemSchema),
});
export type ActionItemExtraction = z.infer<typeof actionItemExtractionSchema>;

const evidence = z.strictObject({
  text: z.string(),
  confidence,
  quote: z.string().describe("The exact transcript words this rests on"),
});
export type QualificationEvidence = z.infer<typeof evidence>;

export const meddicSchema = objectOf([...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS], evidence.nullable());
export type Meddic = z.infer<typeof meddicSchema>;

export const dimensionScoreSchema = z.strictObject({
  score: z.number().int().min(0).max(3).nullable().describe("null when the conversation says nothing"),
  confidence,
  evidence: z.string().nullable().describe("The exact transcript words the score rests on"),
});
export type DimensionScore = z.infer<typeof dimensionScoreSchema>;

export const ontologyScoresSchema = objectOf(ONTOLOGY_DIMENSIONS, dimensionScoreSchema);
export type OntologyScores = z.infer<typeof ontologyScoresSchema>;

export const extractedDealSchema = z.strictObject({
  name: z.string().describe("The offering being sold, e.g. 'Cold-chain monitoring service'"),
  summary: z.string().describe("Two or three sentences"),
  stage: z.enum(DEAL_STAGES),
  stage_evidence: z.string().nullable(),
  amount: z.number().nullable().describe("As stated in the conversation; null when none was"),
  currency: z.string().nullable().describe("ISO 4217 code"),
  close_timeframe: z.string().nullable(),
  meddic: meddicSchema,
  ontology: ontologyScoresSchema,
  confidence,
  reasoning: z.string(),
});
export type ExtractedDeal = z.infer<typeof extractedDealSchema>;

export const dealExtractionSchema = z.strictObject({
  deals: z.array(extractedDealSchema),
});
export type DealExtraction = z.infer<typeof dealExtractionSchema>;
