/**
 * The fleet's queues besides each pipeline's own three (pipelineQueues, DESIGN.md §9). BullMQ
 * prefixes each key with the configured `QUEUE_PREFIX`; a `{hash-tag}` prefix puts all of a
 * queue's keys into one Redis Cluster slot, which BullMQ's multi-key scripts need.
 */
export const QUEUE_NAMES = {
  reconcile: "reconcile",
  /** Refreshes of accounts' risk signals: one per applied envelope, and the scheduled sweep (the reconciler app runs them). */
  riskSignals: "risk-signals",
  /** Webhook deliveries waiting or being retried, and those that used up their attempts. */
  webhooks: "webhooks",
  webhooksDead: "webhooks-dead-letter",
} as const;

/**
 * Job id of an envelope's job: tenant and interaction (DESIGN §9), so a repeated post of the
 * same envelope adds nothing. Joined with "." because BullMQ refuses ":" in custom job ids (it
 * separates the parts of its Redis keys).
 */
export function envelopeJobId(tenantId: string, interactionId: string): string {
  return `${tenantId}.${interactionId}`;
}
