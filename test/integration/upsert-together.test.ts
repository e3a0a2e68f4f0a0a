import { randomUUID } from "node:crypto";
import { createDatabase, upsertTogether, withTenant, type Database, type RowsUpsert } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * upsertTogether against the real projection schema: a projection's tables in one statement,
 * parents and children together, older snapshots refused, and nothing written when any part
 * fails (the transaction is the projection's own).
 */

const config = testConfig();
let db: Kysely<Database>;
const tenantId = freshTenantId();

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "upsert-together-test" });
});

afterAll(async () => {
  await withTenant(db, tenantId, (trx) => sql`delete from topics where tenant_id = ${tenantId}`.execute(trx));
  await db.destroy();
});

const topic = (topicId: string, version: number, name: string) => ({
  tenant_id: tenantId,
  topic_id: topicId,
  account_id: "acct-1",
  name,
  normalized_name: name.toLowerCase(),
  version,
});
const topicVersion = (topicId: string, versionNumber: number) => ({
  tenant_id: tenantId,
  version_id: randomUUID(),
  topic_id: topicId,
  version_number: versionNumber,
  name: "Rollout",
  valid_from: "2026-03-01T00:00:00Z",
});
const upserts = (
  topics: Array<ReturnType<typeof topic>>,
  versions: Array<ReturnType<typeof topicVersion>>,
): Record<"topics" | "topic_versions", RowsUpsert> => ({
  topics: { table: "topics", rows: topics, rule: { key: ["tenant_id", "topic_id"], newerOnly: "version" } },
  topic_versions: { table: "topic_versions", rows: versions, rule: { key: ["tenant_id", "version_id"] } },
});
const stored = (topicId: string) =>
  withTenant(db, tenantId, async (trx) => ({
    topic: await trx.selectFrom("topics").select(["name", "version"]).where("topic_id", "=", topicId).executeTakeFirst(),
    versions: (await trx.selectFrom("topic_versions").select("version_number").where("topic_id", "=", topicId).execute()).length,
  }));
const notices = { tenantId, idsByKind: {} };

it("writes a parent and its children in one statement and counts each table's rows", async () => {
  const topicId = randomUUID();
  const counts = await withTenant(db, tenantId, (trx) => upsertTogether(trx, upserts([topic(topicId, 2, "Rollout v2")], [topicVersion(topicId, 1)]), notices));
  expect(counts).toEqual({ topics: 1, topic_versions: 1 });
  expect(await stored(topicId)).toEqual({ topic: { name: "Rollout v2", version: 2 }, versions: 1 });

  // A late, older snapshot of the same topic is not written; a table with no rows counts 0.
  const older = await withTenant(db, tenantId, (trx) => upsertTogether(trx, upserts([topic(topicId, 1, "Rollout v1")], []), notices));
  expect(older).toEqual({ topics: 0, topic_versions: 0 });
  expect(await stored(topicId)).toEqual({ topic: { name: "Rollout v2", version: 2 }, versions: 1 });
});

it("writes nothing of any table when one part fails", async () => {
  const topicId = randomUUID();
  // The version names a topic that does not exist: the foreign key refuses it at commit.
  const failing = withTenant(db, tenantId, (trx) => upsertTogether(trx, upserts([topic(topicId, 1, "Pilot")], [topicVersion(randomUUID(), 1)]), notices));
  await expect(failing).rejects.toThrow(/foreign key/);
  expect(await stored(topicId)).toEqual({ topic: undefined, versions: 0 });
});
