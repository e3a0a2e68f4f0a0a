import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery, type Transaction } from "kysely";
import type { Database } from "./schema";
import { upsertRows, upsertTogether } from "./upsert";

/** A Kysely that compiles and records each query instead of sending it. */
function recordingDb(queries: CompiledQuery[]): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === "query") queries.push(event.query);
    },
  });
}

it("writes rows in key order, so concurrent upserts of the same rows lock them in one order", async () => {
  const queries: CompiledQuery[] = [];
  const db = recordingDb(queries);
  const owner = (id: string) => ({ tenant_id: "t", owner_id: id, name: `Owner ${id}`, normalized_name: `owner ${id}` });
  await db
    .transaction()
    .execute((trx) => upsertRows(trx as Transaction<Database>, "owners", [owner("c"), owner("a"), owner("b")], { key: ["tenant_id", "owner_id"] }));
  const insert = queries.find((q) => q.sql.startsWith("insert"));
  expect(insert?.parameters.filter((p) => p === "a" || p === "b" || p === "c")).toEqual(["a", "b", "c"]);
});

it("sends several tables' upserts and the notices as one statement, leaving out tables with no rows", async () => {
  const queries: CompiledQuery[] = [];
  const db = recordingDb(queries);
  const owner = { tenant_id: "t", owner_id: "o1", name: "Dana", normalized_name: "dana" };
  // The recording driver answers no row, which upsertTogether takes for a broken statement.
  await expect(
    db.transaction().execute((trx) =>
      upsertTogether(
        trx as Transaction<Database>,
        {
          owners: { table: "owners", rows: [owner], rule: { key: ["tenant_id", "owner_id"] } },
          topics: { table: "topics", rows: [], rule: { key: ["tenant_id", "topic_id"] } },
        },
        { tenantId: "t", idsByKind: { owner: ["o1"] } },
      ),
    ),
  ).rejects.toThrow();
  const sent = queries.filter((q) => !/^(begin|commit|rollback)/i.test(q.sql));
  expect(sent).toHaveLength(1);
  expect(sent[0]?.sql).toMatch(/^with "upserted_owners" as \(insert into "owners"/);
  expect(sent[0]?.sql).toContain("pg_notify");
  expect(sent[0]?.sql).not.toContain('"topics"');
});
