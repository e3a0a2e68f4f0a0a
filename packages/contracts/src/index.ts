export {
  CONTENT_FORMATS,
  ENVELOPE_LIMITS,
  ENVELOPE_SOURCES,
  INTERACTION_TYPES,
  envelopeBatchV1Schema,
  envelopeV1Schema,
  parseEnvelope,
  type AcceptedEnvelope,
  type EnvelopeV1,
} from "./envelope";
export { exampleEnvelope } from "./example-envelope";
export { dealRef, isUuid, isUuidV7, mintEntityId, mintInteractionId } from "./ids";
export { actionItemRunSummarySchema, dealRunSummarySchema, runSummarySchema, type ActionItemRunSummary, type DealRunSummary } from "./run-summaries";
export { pipelineNameSchema, type PipelineName } from "./pipeline-name";
export {
  acceptedBatchSchema,
  acceptedSchema,
  apiErrorSchema,
  batchConflictSchema,
  envelopeStatusSchema,
  pipelineStateSchema,
  tenantSchema,
  type Accepted,
  type ApiError,
  type EnvelopeStatus,
  type PipelineState,
} from "./api-schemas";
export {
  ENVELOPE_EVENTS,
  RISK_SIGNAL_EVENTS,
  WEBHOOK_EVENTS,
  WebhookVerificationError,
  riskSignalEventDataSchema,
  createdWebhookEndpointSchema,
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointInputSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEventSchema,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type EnvelopeEventType,
  type RiskSignalEventData,
  type RiskSignalEventType,
  type WebhookEvent,
  type WebhookEventType,
} from "./webhooks";
