import { exampleEnvelope } from "@dealgraph/contracts";
import { envelopeContentHash, envelopeDifferences } from "./envelope-hash";

// A note without an account, so that naming one is a difference.
const { account_id: _none, ...envelope } = exampleEnvelope({
  interaction_type: "note",
  content: { text: "Ada will send the pricing sheet on Friday.", format: "plain" },
  timestamp: "2026-05-04T10:00:00Z",
  extras: { crm_id: "A-1" },
});

describe("envelope content identity", () => {
  it("is the same for the same content in another key order or zone", () => {
    const respelt = { ...Object.fromEntries(Object.entries(envelope).reverse()), timestamp: "2026-05-04T12:00:00+02:00" };
    expect(envelopeContentHash(respelt)).toBe(envelopeContentHash(envelope));
    expect(envelopeDifferences(envelope, respelt)).toEqual([]);
  });

  it("names each field that differs, inside content and extras too", () => {
    const other = {
      ...envelope,
      content: { ...envelope.content, text: "Corrected." },
      timestamp: "2026-05-04T10:00:01Z",
      extras: { crm_id: "A-2" },
      account_id: "acct-1",
    };
    expect(envelopeContentHash(other)).not.toBe(envelopeContentHash(envelope));
    expect(envelopeDifferences(envelope, other)).toEqual(["account_id", "content.text", "extras.crm_id", "timestamp"]);
  });
});
