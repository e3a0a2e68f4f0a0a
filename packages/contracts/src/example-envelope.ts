import type { AcceptedEnvelope } from "./envelope";

/**
 * A valid accepted envelope (a short diarized call with a commitment), with `overrides` laid
 * over it: what tests and examples start from, so each states only what it is about.
 */
export function exampleEnvelope(overrides: Partial<AcceptedEnvelope> = {}): AcceptedEnvelope {
  return {
    schema_version: "v1",
    tenant_id: "6f1c2a7e-4b5d-4e8f-9a10-2b3c4d5e6f70",
    account_id: "acct-1",
    interaction_id: "3b0f6a52-8c1e-4d7a-9f3b-5e2d1c0a9b81",
    user_id: "user-1",
    interaction_type: "transcript",
    content: { text: "Alice (Acme): We will send the pricing sheet by Friday.", format: "diarized" },
    timestamp: "2026-03-02T15:00:00Z",
    source: "api",
    ...overrides,
  };
}
