import { NO_STORED_EVIDENCE, parseStoredEvidence } from "./stored-evidence";

describe("parseStoredEvidence", () => {
  it("reads the quotes back, a missing part as none", () => {
    expect(parseStoredEvidence(JSON.stringify({ meddic: { champion: "I'll push for it." } }))).toEqual({
      meddic: { champion: "I'll push for it." },
      ontology: {},
    });
  });

  it("takes an absent property for no quotes, and text that is not that JSON for damage", () => {
    expect(parseStoredEvidence(undefined)).toEqual(NO_STORED_EVIDENCE);
    expect(parseStoredEvidence("{not json")).toBeNull();
    expect(parseStoredEvidence(JSON.stringify({ meddic: { champion: 3 } }))).toBeNull();
  });
});
