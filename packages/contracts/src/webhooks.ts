import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { pipelineNameSchema } from "./pipeline-name";

/*
 * Webhooks, as the api offers them and receivers check them. Deliveries follow the Standard
 * Webhooks signature scheme, so any of its verifier libraries works too: the headers
 * `webhook-id` (the delivery's idempotency id), `webhook-timestamp` (Unix seconds) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the
 * base64 part of the endpoint's `whsec_` secret).
 */

export const ENVELOPE_EVENTS = ["envelope.processed", "envelope.dead_lettered"] as const;
/** A deal's risk signal raised (or raised again), changed in severity or evidence, or cleared. */
export const RISK_SIGNAL_EVENTS = ["risk_signal.raised", "risk_signal.updated", "risk_signal.cleared"] as const;
export const WEBHOOK_EVENTS = [...ENVELOPE_EVENTS, ...RISK_SIGNAL_EVENTS] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
export type EnvelopeEventType = (typeof ENVELOPE_EVENTS)[number];
export type RiskSignalEventType = (typeof RISK_SIGNAL_EVENTS)[number];

export const webhookEndpointInputSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "Must be an http(s) URL" }).max(2048, "Must be at most 2048 characters"),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, "Must name at least one event")
    .default([...WEBHOOK_EVENTS]),
  description: z.string().max(200, "Must be at most 200 characters").optional(),
});
export type WebhookEndpointInput = z.input<typeof webhookEndpointInputSchema>;

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  description: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** What registering answers: the endpoint and, this once, its signing secret. */
export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({
  secret: z.string().describe("whsec_…: shown only now; verify each delivery's signature with it"),
});
export const webhookEndpointListSchema = z.object({ endpoints: z.array(webhookEndpointSchema) });

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpoint_id: z.string(),
  event_type: z.string(),
  interaction_id: z.string().nullable(),
  pipeline: z.string().nullable(),
  status: z.enum(["pending", "delivered", "dead", "cancelled"]),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
export const webhookDeliveryListSchema = z.object({ deliveries: z.array(webhookDeliverySchema) });

const eventEnvelope = {
  id: z.string().describe("The delivery id, also sent as webhook-id: the same on every retry"),
  created_at: z.string(),
  tenant_id: z.string(),
};

/** What a risk-signal event says of the signal, as it stands after the change. */
export const riskSignalEventDataSchema = z.object({
  account_id: z.string(),
  opportunity_id: z.string(),
  signal: z.object({
    id: z.string(),
    code: z.string(),
    severity: z.enum(["low", "medium", "high"]),
    status: z.enum(["active", "cleared"]),
    started_at: z.string(),
    cleared_at: z.string().nullable(),
    detail: z.string(),
    evidence: z.object({ interaction_id: z.string().nullable(), quote: z.string().nullable() }),
    version: z.number().int(),
  }),
});
export type RiskSignalEventData = z.infer<typeof riskSignalEventDataSchema>;

/** The body of every delivery. */
export const webhookEventSchema = z.discriminatedUnion("type", [
  z.object({
    ...eventEnvelope,
    type: z.enum(ENVELOPE_EVENTS),
    data: z.object({
      pipeline: pipelineNameSchema,
      interaction_id: z.string(),
      account_id: z.string().nullable(),
      /** envelope.processed: the pipeline's run summary (created/merged deals, created/updated items, projection). */
      summary: z.record(z.string(), z.unknown()).optional(),
      /** envelope.dead_lettered: why it failed for good. */
      error: z.object({ code: z.string().nullable(), message: z.string() }).optional(),
    }),
  }),
  z.object({ ...eventEnvelope, type: z.enum(RISK_SIGNAL_EVENTS), data: riskSignalEventDataSchema }),
]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

/** The headers a delivery of `body` carries. */
export function signWebhook(secret: string, id: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${signature(secret, id, timestamp, body)}` };
}

export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}

/**
 * Checks a delivery as received (the raw body, before any JSON parsing) and returns its event.
 * Throws `WebhookVerificationError` for a missing or wrong signature, or a timestamp further
 * than `toleranceSeconds` from now (a replayed request).
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): WebhookEvent {
  const header = (name: string) => {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header("webhook-id");
  const timestamp = Number(header("webhook-timestamp"));
  const signatures = (header("webhook-signature") ?? "").split(" ");
  if (!id || !Number.isInteger(timestamp)) throw new WebhookVerificationError("missing webhook-id or webhook-timestamp");
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) throw new WebhookVerificationError("webhook-timestamp is too far from now");
  const expected = Buffer.from(signature(secret, id, timestamp, body));
  const matches = signatures.some((entry) => {
    const [version, value] = entry.split(",");
    const given = Buffer.from(value ?? "");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError("no valid signature");
  return webhookEventSchema.parse(JSON.parse(body));
}
