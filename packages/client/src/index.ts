export { DealgraphApiError } from "./api-error";
export { DealgraphClient, type DealgraphClientOptions } from "./dealgraph-client";
/** What a producer sends and reads back; `envelopeV1Schema` checks an envelope before it is posted. */
export {
  envelopeV1Schema,
  type Accepted,
  type EnvelopeStatus,
  type EnvelopeV1,
  type PipelineState,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type WebhookEventType,
} from "@dealgraph/contracts";
/** For receivers: check a delivery's signature and read its event. */
export { WebhookVerificationError, verifyWebhook, type WebhookEvent } from "@dealgraph/contracts";
