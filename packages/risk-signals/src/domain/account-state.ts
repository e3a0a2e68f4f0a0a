import { z } from "zod";

/*
 * What the rules read of one account: its interactions, its deals with their version history
 * and its action items, as the graphs hold them. The graph repository validates what it reads
 * into these shapes; the rules trust them.
 */

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "Must be an ISO timestamp");
const quoted = z.object({ text: z.string(), quote: z.string().nullable() }).nullable();

export const speakerSchema = z.object({ name: z.string(), org: z.string().nullable() });

export const interactionSeenSchema = z.object({
  interactionId: z.string(),
  occurredAt: isoTime,
  userId: z.string().nullable(),
  /** Null for an interaction stored before speakers were recorded. */
  speakers: z.array(speakerSchema).nullable(),
});
export type InteractionSeen = z.infer<typeof interactionSeenSchema>;

/** One state of a deal: a past version (valid until the next) or the current node (validUntil null). */
export const dealStateSeenSchema = z.object({
  versionNumber: z.number().int(),
  stage: z.string(),
  amount: z.number().nullable(),
  closeTimeframe: z.string().nullable(),
  /** A competitor or incumbent was named in this state. */
  competitionNamed: z.boolean(),
  meddicCompleteness: z.number(),
  ontologyCompleteness: z.number(),
  validFrom: isoTime,
  /** The interaction that made this state. */
  sourceInteractionId: z.string().nullable(),
});
export type DealStateSeen = z.infer<typeof dealStateSeenSchema>;

export const dealSeenSchema = z.object({
  opportunityId: z.string(),
  name: z.string(),
  economicBuyer: quoted,
  champion: quoted,
  competition: quoted,
  /** Ontology scores the rules read (0–3, null when unscored). */
  scores: z.object({
    pricingAlignment: z.number().nullable(),
    competitivePosition: z.number().nullable(),
    incumbentDisplacementRisk: z.number().nullable(),
  }),
  pricingQuote: z.string().nullable(),
  /** Oldest first; the last is the current node. */
  history: z.array(dealStateSeenSchema).min(1),
  /** Interactions that created or changed the deal. */
  interactionIds: z.array(z.string()),
});
export type DealSeen = z.infer<typeof dealSeenSchema>;

export const itemSeenSchema = z.object({
  actionItemId: z.string(),
  text: z.string(),
  status: z.enum(["open", "in_progress", "done", "cancelled"]),
  /** YYYY-MM-DD, or null when the commitment named no date. */
  dueDate: z.string().nullable(),
  ownerName: z.string().nullable(),
  evidenceQuote: z.string().nullable(),
  sourceInteractionId: z.string().nullable(),
});
export type ItemSeen = z.infer<typeof itemSeenSchema>;

export const accountStateSchema = z.object({
  tenantId: z.string(),
  accountId: z.string(),
  interactions: z.array(interactionSeenSchema),
  deals: z.array(dealSeenSchema),
  items: z.array(itemSeenSchema),
  /** Organisations seen in the calls of the tenant's other accounts: the seller's, whoever it sells to. */
  otherAccountsOrgs: z.array(z.string()),
});
export type AccountState = z.infer<typeof accountStateSchema>;

export const CLOSED_STAGES: ReadonlySet<string> = new Set(["closed_won", "closed_lost"]);
export const LATE_STAGES: ReadonlySet<string> = new Set(["proposal", "negotiation"]);
