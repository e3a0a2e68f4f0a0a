import { WebhookVerificationError, newWebhookSecret, signWebhook, verifyWebhook, type WebhookEvent } from "./webhooks";

const event: WebhookEvent = {
  id: "0190a7e2-1c3b-7d4e-8f5a-000000000001",
  type: "envelope.processed",
  created_at: "2026-05-04T10:00:00.000Z",
  tenant_id: "0190a7e2-0000-7000-8000-000000000001",
  data: { pipeline: "deals", interaction_id: "0190a7e2-1c3b-7d4e-8f5a-000000000002", account_id: "acct-1", summary: { status: "processed" } },
};
const body = JSON.stringify(event);
const now = new Date("2026-05-04T10:00:00Z");
const at = Math.floor(now.getTime() / 1000);

describe("webhook signatures", () => {
  const secret = newWebhookSecret();

  it("verifies what was signed with the endpoint's secret", () => {
    expect(verifyWebhook(secret, signWebhook(secret, event.id, body, at), body, { now })).toEqual(event);
  });

  it.each([
    ["another secret", () => signWebhook(newWebhookSecret(), event.id, body, at), body],
    ["a changed body", () => signWebhook(secret, event.id, body, at), body.replace("processed", "dead_lettered")],
    ["another id", () => ({ ...signWebhook(secret, event.id, body, at), "webhook-id": "other" }), body],
    ["a stale timestamp (a replay)", () => signWebhook(secret, event.id, body, at - 301), body],
    ["no signature", () => ({ "webhook-id": event.id, "webhook-timestamp": String(at) }), body],
  ])("refuses %s", (_what, headers, received) => {
    expect(() => verifyWebhook(secret, headers(), received, { now })).toThrow(WebhookVerificationError);
  });

  it("accepts any one valid signature among several (a rotated secret)", () => {
    const headers = signWebhook(secret, event.id, body, at);
    headers["webhook-signature"] = `v1,bm90LXRoaXMtb25l ${headers["webhook-signature"]}`;
    expect(verifyWebhook(secret, headers, body, { now }).id).toBe(event.id);
  });

  it("makes a fresh 32-byte secret each time", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
