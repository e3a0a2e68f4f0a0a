export { deliveryId } from "./delivery-id";
export { WebhookDispatcher, deliveryJobSchema, type DeliveryJob } from "./webhook-dispatcher";
export { WebhookEndpoints } from "./webhook-endpoints";
export { WebhookPublisher, type PendingDelivery, type PublishedEvent } from "./webhook-publisher";
