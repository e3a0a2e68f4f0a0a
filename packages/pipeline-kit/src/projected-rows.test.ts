import { StoredRecordError } from "@dealgraph/errors";
import { interactionLinkRows, versionHistoryColumns } from "./projected-rows";

describe("versionHistoryColumns", () => {
  it("takes a version's history as its row's columns", () => {
    expect(
      versionHistoryColumns("DealVersion", {
        version_id: "v1",
        valid_from: "2026-01-05T10:00:00Z",
        valid_until: "",
        change_summary: "stage: proposal → negotiation",
        changed_fields: ["stage"],
        name: "not a history column",
      }),
    ).toEqual({
      version_id: "v1",
      change_summary: "stage: proposal → negotiation",
      changed_fields: ["stage"],
      change_source_interaction_id: null,
      valid_from: "2026-01-05T10:00:00Z",
      valid_until: null,
    });
  });

  it("refuses, without retry, a snapshot that does not say when it became valid", () => {
    expect(() => versionHistoryColumns("TopicVersion", { version_id: "v2" })).toThrow(StoredRecordError);
    expect(() => versionHistoryColumns("TopicVersion", { version_id: "v2", valid_from: "" })).toThrow(/stored TopicVersion v2 is unreadable: valid_from/);
  });
});

describe("interactionLinkRows", () => {
  it("makes one provenance row per linked interaction, keyed by the node's id property", () => {
    const node = {
      properties: { tenant_id: "t1", topic_id: "k1" },
      embedding: null,
      embeddingCurrent: null,
      versions: [],
      links: [
        { interaction_id: "i1", relation: "created" as const },
        { interaction_id: "i2", relation: "mentioned" as const },
      ],
    };
    expect(interactionLinkRows(node, "topic", "topic_id")).toEqual([
      { tenant_id: "t1", interaction_id: "i1", entity_type: "topic", entity_id: "k1", relation: "created" },
      { tenant_id: "t1", interaction_id: "i2", entity_type: "topic", entity_id: "k1", relation: "mentioned" },
    ]);
  });
});
