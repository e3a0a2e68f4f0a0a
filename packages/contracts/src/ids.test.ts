import { dealRef, isUuidV7, mintEntityId, mintInteractionId } from "./ids";

describe("ids", () => {
  it("mints entity ids that parse as UUID version 7", () => {
    const ids = Array.from({ length: 1000 }, () => mintEntityId());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isUuidV7(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("mints v7 ids in time order so that index order follows creation order", () => {
    const first = mintEntityId();
    const second = mintEntityId();
    expect(first < second).toBe(true);
  });

  it("mints interaction ids as v4 UUIDs", () => {
    const id = mintInteractionId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUuidV7(id)).toBe(false);
  });

  it("derives deal_ref from the last 16 hex digits of the opportunity id", () => {
    expect(dealRef("01936f3c-9a1e-7b2d-8c4f-0123456789ab")).toBe("deal_8c4f0123456789ab");
    expect(dealRef("01936F3C-9A1E-7B2D-8C4F-0123456789AB")).toBe("deal_8c4f0123456789ab");
  });

  it("gives different refs to ids minted in the same millisecond", () => {
    const refs = new Set(Array.from({ length: 500 }, () => dealRef(mintEntityId())));
    expect(refs.size).toBe(500);
  });

  it("refuses to derive a deal_ref from something that is not a v7 id", () => {
    expect(() => dealRef("3b0f6a52-8c1e-4d7a-9f3b-5e2d1c0a9b81")).toThrow(/UUIDv7/);
    expect(() => dealRef("not-an-id")).toThrow(/UUIDv7/);
  });
});
