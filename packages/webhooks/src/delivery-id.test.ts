import { deliveryId } from "./delivery-id";

describe("deliveryId", () => {
  const endpoint = "0190a7e2-1c3b-7d4e-8f5a-00000000000e";
  const interaction = "0190a7e2-1c3b-7d4e-8f5a-00000000000a";

  it("is the same for the same event and endpoint, so publishing twice delivers once", () => {
    expect(deliveryId(endpoint, "envelope.processed", "deals", interaction)).toBe(deliveryId(endpoint, "envelope.processed", "deals", interaction));
  });

  it("differs by endpoint, event, pipeline and interaction", () => {
    const ids = new Set([
      deliveryId(endpoint, "envelope.processed", "deals", interaction),
      deliveryId(endpoint, "envelope.processed", "action_items", interaction),
      deliveryId(endpoint, "envelope.dead_lettered", "deals", interaction),
      deliveryId(endpoint.replace("e", "f"), "envelope.processed", "deals", interaction),
      deliveryId(endpoint, "envelope.processed", "deals", interaction.replace("a", "b")),
    ]);
    expect(ids.size).toBe(5);
  });

  it("is a well-formed UUID (version 8, RFC 9562 variant)", () => {
    expect(deliveryId(endpoint, "envelope.processed", "deals", interaction)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
