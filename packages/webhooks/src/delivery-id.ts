import { createHash } from "node:crypto";

/**
 * One delivery per event and endpoint, however often the event is published (a job retried
 * after a crash publishes again): the id is a hash of what makes the event, written as a UUID
 * (version 8, RFC 9562's custom version) so it fits the uuid column and the `webhook-id` header.
 */
export function deliveryId(endpointId: string, eventType: string, pipeline: string, interactionId: string): string {
  const hex = createHash("sha256").update(`${endpointId}\u0000${eventType}\u0000${pipeline}\u0000${interactionId}`).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
