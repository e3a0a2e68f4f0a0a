import { Kysely, PostgresDialect } from "kysely";
import { embeddingColumnType, encodeEmbedding } from "./embedding-column";

// Compiles SQL only; the dialect never connects.
const compiler = new Kysely<Record<string, never>>({
  dialect: new PostgresDialect({
    pool: async () => {
      throw new Error("no connection in unit tests");
    },
  }),
});

function render(storage: "vector" | "real[]", dimension: number): string {
  return embeddingColumnType(storage, dimension).compile(compiler).sql;
}

describe("embeddingColumnType", () => {
  it("uses pgvector's vector(n) where the extension is installed", () => {
    expect(render("vector", 1536)).toBe("vector(1536)");
    expect(render("vector", 384)).toBe("vector(384)");
  });

  it("falls back to real[] where it is not", () => {
    expect(render("real[]", 1536)).toBe("real[]");
  });

  it.each([0, -3, 2.5, Number.NaN, 20_000])("refuses dimension %p before any DDL is built", (dimension) => {
    expect(() => embeddingColumnType("vector", dimension)).toThrow(RangeError);
  });
});

describe("encodeEmbedding", () => {
  it("writes pgvector's text form for vector columns and an array literal for real[]", () => {
    expect(encodeEmbedding("vector", [0.5, -1, 0])).toBe("[0.5,-1,0]");
    expect(encodeEmbedding("real[]", [0.5, -1, 1e-7])).toBe("{0.5,-1,1e-7}");
    expect(encodeEmbedding("real[]", null)).toBeNull();
  });
});
