export { deliveryId } from "./delivery-id";
export { WebhookDispatcher, deliveryJobSchema, type DeliveryJob } from "./webhook-dispatcher";
export { WebhookEndpoints } from "./webhook-endpoints";
export { WebhookPublisher, type EnvelopeEvent, type PendingDelivery, type PublishedEvent, type RiskSignalEvent } from "./webhook-publisher";
