import { ValidationError, fieldIssuesFromZod } from "@dealgraph/errors";
import { z } from "zod";

/**
 * Limits on what a producer may send. They bound memory per job and what an LLM prompt can
 * hold; the HTTP body limit sits above them so oversize fields get a field-level error.
 */
export const ENVELOPE_LIMITS = {
  /** Characters of `content.text`: about four hours of diarized speech. */
  maxTextChars: 262_144,
  /** Bytes of `extras` serialised as JSON. */
  maxExtrasBytes: 16_384,
  /** Characters of `account_id` and `user_id`. */
  maxIdChars: 256,
  /** Below this many characters a transcript is skipped with a warning, not failed. */
  minProcessableTextChars: 50,
  /** Envelopes in one post of an array (the api's body limit applies too). */
  maxEnvelopesPerPost: 500,
  /** Nesting of `extras` (an object holding a value is depth 1). */
  maxExtrasDepth: 32,
  /** Keys in `extras`, at every depth together. */
  maxExtrasKeys: 1_000,
  /** The years a timestamp may fall in: anything outside is a producer's bug, and Postgres and JS disagree on year 0. */
  earliestYear: 1970,
  latestYear: 2100,
  /** The largest zone offset in use anywhere (UTC+14:00). */
  maxOffsetMinutes: 14 * 60,
} as const;

export const INTERACTION_TYPES = ["transcript", "note", "email", "meeting"] as const;
export const CONTENT_FORMATS = ["plain", "diarized", "markdown"] as const;
export const ENVELOPE_SOURCES = ["api", "upload", "web-mic", "import"] as const;

/**
 * Text Postgres can store as JSON: no NUL character and no unpaired surrogate (half of a UTF-16
 * pair). JSON carries both, but jsonb refuses them, and the inbox must never be what refuses an
 * envelope the api accepted.
 */
function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}
const UNSTORABLE_TEXT = "Must not contain NUL characters (U+0000) or unpaired surrogates";

/** Whether every string in a JSON value, keys included, is storable text. */
function isStorableJson(value: unknown): boolean {
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value !== null && typeof value === "object") return Object.entries(value).every(([key, item]) => isStorableText(key) && isStorableJson(item));
  return true;
}

/**
 * Ids people read and match on: one Unicode spelling (NFC), and none of the invisible characters
 * (controls, bidirectional overrides, zero-width joiners: Unicode's Cc and Cf) that make two
 * accounts look alike and be different.
 */
const upstreamId = z
  .string()
  .trim()
  .min(1, "Must not be empty")
  .max(ENVELOPE_LIMITS.maxIdChars, `Must be at most ${ENVELOPE_LIMITS.maxIdChars} characters`)
  .refine((id) => id.isWellFormed(), "Must not contain unpaired surrogates")
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, "Must not contain control, bidirectional or zero-width characters")
  .transform((id) => id.normalize("NFC"));

/** Depth and key count of a JSON value, walked without recursion: a deeply nested value must not overflow the stack. */
export function jsonShape(value: unknown): { depth: number; keys: number } {
  let depth = 0;
  let keys = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, depth: at } = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    depth = Math.max(depth, at + 1);
    const children = Array.isArray(item) ? item : Object.values(item);
    if (!Array.isArray(item)) keys += children.length;
    for (const child of children) stack.push({ value: child, depth: at + 1 });
  }
  return { depth, keys };
}

const extrasSchema = z.record(z.string(), z.unknown()).superRefine((extras, ctx) => {
  const shape = jsonShape(extras);
  if (shape.depth > ENVELOPE_LIMITS.maxExtrasDepth) {
    ctx.addIssue({ code: "custom", message: `Must nest at most ${ENVELOPE_LIMITS.maxExtrasDepth} levels deep (got ${shape.depth})` });
    return;
  }
  if (shape.keys > ENVELOPE_LIMITS.maxExtrasKeys) {
    ctx.addIssue({ code: "custom", message: `Must hold at most ${ENVELOPE_LIMITS.maxExtrasKeys} keys (got ${shape.keys})` });
    return;
  }
  const bytes = Buffer.byteLength(JSON.stringify(extras), "utf8");
  if (bytes > ENVELOPE_LIMITS.maxExtrasBytes) {
    ctx.addIssue({
      code: "custom",
      message: `Must be at most ${ENVELOPE_LIMITS.maxExtrasBytes} bytes as JSON (got ${bytes})`,
    });
  } else if (!isStorableJson(extras)) {
    ctx.addIssue({ code: "custom", message: UNSTORABLE_TEXT });
  }
});

/** EnvelopeV1 (DESIGN.md §3): one customer interaction posted by a producer. */
export const envelopeV1Schema = z.strictObject({
  schema_version: z.literal("v1"),
  tenant_id: z.uuid("Must be a UUID"),
  account_id: upstreamId.optional(),
  interaction_id: z.uuid("Must be a UUID").optional(),
  opportunity_id: z.uuid({ version: "v7", error: "Must be a UUIDv7" }).optional(),
  user_id: upstreamId.optional(),
  interaction_type: z.enum(INTERACTION_TYPES),
  content: z.strictObject({
    text: z.string().max(ENVELOPE_LIMITS.maxTextChars, `Must be at most ${ENVELOPE_LIMITS.maxTextChars} characters`).refine(isStorableText, UNSTORABLE_TEXT),
    format: z.enum(CONTENT_FORMATS),
  }),
  timestamp: z.iso
    .datetime({
      offset: true,
      error: "Must be an ISO-8601 date-time with a zone (Z or ±hh:mm)",
    })
    .superRefine((timestamp, ctx) => {
      // Not a date-time at all: the format check above has said so.
      if (Number.isNaN(Date.parse(timestamp))) return;
      const offset = /([+-])(\d{2}):?(\d{2})$/.exec(timestamp);
      if (offset && Number(offset[2]) * 60 + Number(offset[3]) > ENVELOPE_LIMITS.maxOffsetMinutes) {
        ctx.addIssue({ code: "custom", message: "Must have a zone offset within ±14:00" });
        return;
      }
      const year = new Date(timestamp).getUTCFullYear();
      if (!(year >= ENVELOPE_LIMITS.earliestYear && year <= ENVELOPE_LIMITS.latestYear)) {
        ctx.addIssue({ code: "custom", message: `Must fall between the years ${ENVELOPE_LIMITS.earliestYear} and ${ENVELOPE_LIMITS.latestYear}` });
      }
    }),
  source: z.enum(ENVELOPE_SOURCES),
  extras: extrasSchema.optional(),
});

export type EnvelopeV1 = z.infer<typeof envelopeV1Schema>;

/**
 * Several envelopes in one post: a producer sending at volume pays the HTTP round trip once per
 * array instead of once per envelope. Issue paths start with the envelope's index (`3.timestamp`).
 */
export const envelopeBatchV1Schema = z
  .array(envelopeV1Schema)
  .min(1, "Must hold at least one envelope")
  .max(ENVELOPE_LIMITS.maxEnvelopesPerPost, `Must hold at most ${ENVELOPE_LIMITS.maxEnvelopesPerPost} envelopes`);

/** An envelope after the api accepted it: the interaction id is always present. */
export type AcceptedEnvelope = EnvelopeV1 & { interaction_id: string };

/** Validates untrusted input; throws a ValidationError whose issues name each bad field. */
export function parseEnvelope(input: unknown): EnvelopeV1 {
  const result = envelopeV1Schema.safeParse(input);
  if (!result.success) {
    const issues = fieldIssuesFromZod(result.error);
    throw new ValidationError(`Invalid envelope: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, issues);
  }
  return result.data;
}
