export { DealgraphApiError } from "./api-error";
export { DealgraphClient, type DealgraphClientOptions } from "./dealgraph-client";
/** For receivers: check a delivery's signature and read its event. */
export { WebhookVerificationError, verifyWebhook, type WebhookEvent } from "@dealgraph/contracts";
