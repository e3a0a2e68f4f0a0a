import { GRAPH_SCHEMAS, schemaStatements, vectorIndexName } from "./graph-schema";

describe("graph schema", () => {
  it("keys every label of both graphs by tenant and id", () => {
    for (const kind of ["action_items", "deals"] as const) {
      const statements = schemaStatements(kind, 1536);
      for (const { label, idProperty } of GRAPH_SCHEMAS[kind].keys) {
        expect(statements).toContainEqual(expect.stringContaining(`FOR (n:${label}) REQUIRE (n.tenant_id, n.${idProperty}) IS UNIQUE`));
      }
    }
  });

  it("makes every statement idempotent", () => {
    for (const statement of [...schemaStatements("action_items", 8), ...schemaStatements("deals", 8)]) {
      expect(statement).toMatch(/ IF NOT EXISTS /);
    }
  });

  it("indexes both embeddings of ActionItem, Topic and Deal with cosine similarity", () => {
    const all = [...schemaStatements("action_items", 384), ...schemaStatements("deals", 384)].filter((s) => s.startsWith("CREATE VECTOR INDEX"));
    expect(all).toHaveLength(6);
    for (const statement of all) {
      expect(statement).toContain("`vector.dimensions`: 384");
      expect(statement).toContain("'cosine'");
    }
    expect(vectorIndexName("ActionItem", "embedding_current")).toBe("action_item_embedding_current");
  });

  it("has the lookup indexes the pipelines filter on", () => {
    const deals = schemaStatements("deals", 1536).join("\n");
    expect(deals).toContain("FOR (n:Deal) ON (n.tenant_id, n.account_id)");
    expect(deals).toContain("FOR (n:Deal) ON (n.tenant_id, n.stage)");
  });

  it.each([0, -1, 1.5, Number.NaN, 5000])("refuses dimension %p", (dimension) => {
    expect(() => schemaStatements("deals", dimension)).toThrow(RangeError);
  });
});
