import { randomUUID } from "node:crypto";
import { uuidv7 } from "uuidv7";
import { z } from "zod";

const uuidV7Schema = z.uuid({ version: "v7" });

/** Ids this system mints for entities it creates: opportunities, action items, versions, ... */
export function mintEntityId(): string {
  return uuidv7();
}

/** `interaction_id` is a v4 UUID (DESIGN.md §4) when the producer did not supply one. */
export function mintInteractionId(): string {
  return randomUUID();
}

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any UUID shape (tenant ids and interaction ids come from producers, whatever their version). */
export function isUuid(value: string): boolean {
  return ANY_UUID.test(value);
}

export function isUuidV7(value: string): boolean {
  return uuidV7Schema.safeParse(value).success;
}

/**
 * Display handle for a deal: `deal_` + the last 16 hex digits of its v7 id. Those digits are the
 * random tail, so two deals minted in the same millisecond still get different refs. Never a key.
 */
export function dealRef(opportunityId: string): string {
  if (!isUuidV7(opportunityId)) {
    throw new TypeError(`dealRef needs a UUIDv7 opportunity id, got "${opportunityId}"`);
  }
  return `deal_${opportunityId.replace(/-/g, "").slice(-16).toLowerCase()}`;
}
