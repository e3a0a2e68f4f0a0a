import { randomUUID } from "node:crypto";
import type { GraphClient } from "@dealgraph/graph";
import { closeQuietly, openQueue, pipelineQueues } from "@dealgraph/queues";
import { ApiKeys, createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { TestFleet, accountEnvelope } from "../support/fleet";
import { deleteTenantData, SuiteTenants } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";
import { deleteWordCountRows } from "../support/word-count-pipeline/word-count-rows";

/*
 * "Adding a pipeline" (README), proved: a pipeline that counts words into the action-item graph,
 * kept in test/support/word-count-pipeline and registered only through PIPELINE_MODULES, runs
 * through every part of the fleet (migrate, api intake, its queue, the generic worker app, the
 * graph, the projection, status, reconcile and repair) beside the action-item pipeline on the
 * same graph, with no edit anywhere else.
 */

jest.setTimeout(180_000);

const MODULES = { PIPELINE_MODULES: "test/support/word-count-pipeline/word-count-module.ts" };
const config = testConfig();
const fleet = new TestFleet(config, MODULES);
const suite = new SuiteTenants();
let db: Kysely<Database>;
let owner: Kysely<Database>;
let graph: GraphClient;
let apiKeys: ApiKeys;

/** The word_counts table is the module's own: the typed Database does not know it. */
async function wordCountRows(tenantId: string): Promise<Array<{ interaction_id: string; words: number }>> {
  return withTenant(db, tenantId, (trx) => {
    const untyped = trx as unknown as Kysely<{ word_counts: { tenant_id: string; interaction_id: string; words: number } }>;
    return untyped.selectFrom("word_counts").select(["interaction_id", "words"]).where("tenant_id", "=", tenantId).execute();
  });
}

async function reconcile(tenantId: string, ...flags: string[]) {
  const run = await dealgraph(["reconcile", "--tenant", tenantId, "--json", ...flags], MODULES);
  const report = (
    JSON.parse(run.stdout) as { tenants: Array<{ drift: number; kinds: Array<{ kind: string; graph: number; postgres: number; missingCount: number }> }> }
  ).tenants[0];
  return { code: run.code, report, kind: report?.kinds.find((k) => k.kind === "word_counts") };
}

beforeAll(async () => {
  await migratedPostgres(config);
  const migrated = await dealgraph(["migrate"], MODULES);
  expect(migrated).toMatchObject({ code: 0, stdout: expect.stringMatching(/postgres: (applied .*word_counts\/0001-word-counts|up to date)/) });
  db = createDatabase({ url: config.postgres.url, applicationName: "third-pipeline-test" });
  owner = createDatabase({ url: config.postgres.ownerUrl, poolMax: 1, applicationName: "third-pipeline-test-owner" });
  graph = await connectGraph(config, "action_items");
  apiKeys = new ApiKeys(db);
  await fleet.startApi();
  await fleet.startWorker("word_counts");
  await fleet.startWorker("action_items");
});

afterAll(async () => {
  await fleet.stop();
  const queue = openQueue(pipelineQueues("word_counts").queue, { connection: { url: config.redis.url }, prefix: fleet.prefix });
  await queue.obliterate({ force: true });
  await closeQuietly(queue);
  await deleteWordCountRows(owner, suite.ids);
  await deleteTenantData(config, [graph], suite.ids);
  await Promise.allSettled([db.destroy(), owner.destroy(), graph.close()]);
});

describe("a third pipeline registered through PIPELINE_MODULES", () => {
  it("is listed by the CLI from the registry, with its own queue and worker", async () => {
    const listed = await dealgraph(["pipelines", "--json"], MODULES);
    expect(JSON.parse(listed.stdout)).toContainEqual({
      name: "word_counts",
      graph: "action_items",
      worker: "worker-word-counts",
      port: 9199,
      queue: "word-counts",
    });
    expect(JSON.parse((await dealgraph(["pipelines", "--json"])).stdout)).not.toContainEqual(expect.objectContaining({ name: "word_counts" }));
  });

  it("runs api → queue → its worker → graph → projection, beside the action-item pipeline on the same graph", async () => {
    const tenantId = suite.next();
    const key = (await apiKeys.create(tenantId, "third pipeline")).key;
    const text = "Ada Park (Vendor Co): I will send the security questionnaire to Lee by Friday.\nLee Fox (Client Ltd): Thanks Ada, that works for us.";
    const envelope = accountEnvelope(tenantId, "acct-1", Date.parse("2026-06-01T10:00:00Z"), text);
    expect((await fleet.post(envelope, key)).status).toBe(202);

    const runs = await fleet.inboxReaches(db, tenantId, envelope.interaction_id, { word_counts: "done", action_items: "done" });
    expect(runs).toMatchObject({ word_counts: "done", action_items: "done" });
    const words = text.split(/\s+/).length;
    const status = await fetch(`${fleet.apiUrl}/v1/envelopes/${envelope.interaction_id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await status.json()) as { pipelines: Record<string, unknown> }).pipelines.word_counts).toMatchObject({
      state: "completed",
      result: { status: "processed", words },
    });

    // Both pipelines wrote the one Interaction node; each marked only its own run.
    const nodes = await graph.read(async (tx) =>
      (
        await tx.run(
          `MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $id})
           RETURN i.processed_at IS NOT NULL AS itemsApplied, COUNT { (:WordCount)-[:COUNTS]->(i) } AS counts, COUNT { (:ActionItem)-[:EXTRACTED_FROM]->(i) } AS items`,
          { tenantId, id: envelope.interaction_id },
        )
      ).records.map((r) => r.toObject()),
    );
    expect(nodes).toEqual([{ itemsApplied: true, counts: 1, items: expect.any(Number) }]);
    expect(Number(nodes[0]?.items)).toBeGreaterThan(0);
    expect(await wordCountRows(tenantId)).toEqual([{ interaction_id: envelope.interaction_id, words }]);

    // Another tenant's projection holds none of it.
    expect(await wordCountRows(suite.next())).toEqual([]);
  });

  it("is reconciled with the others: in step, then drift found and repaired", async () => {
    const tenantId = suite.next();
    const key = (await apiKeys.create(tenantId, "third pipeline")).key;
    const envelope = accountEnvelope(
      tenantId,
      "acct-2",
      Date.parse("2026-06-02T10:00:00Z"),
      "Ada Park (Vendor Co): We will share the rollout plan with your team next week.",
    );
    await fleet.post(envelope, key);
    await fleet.inboxReaches(db, tenantId, envelope.interaction_id, { word_counts: "done", action_items: "done" });

    const clean = await reconcile(tenantId);
    expect(clean).toMatchObject({ code: 0, report: { drift: 0 }, kind: { graph: 1, postgres: 1, missingCount: 0 } });

    await deleteWordCountRows(owner, [tenantId]);
    const drifted = await reconcile(tenantId);
    expect(drifted).toMatchObject({ code: 1, kind: { graph: 1, postgres: 0, missingCount: 1 } });

    await reconcile(tenantId, "--repair");
    expect(await reconcile(tenantId)).toMatchObject({ code: 0, report: { drift: 0 } });
    expect(await wordCountRows(tenantId)).toHaveLength(1);
  });

  it("stamps a too-short envelope with nothing counted, through the frame every pipeline shares", async () => {
    const tenantId = suite.next();
    const key = (await apiKeys.create(tenantId, "third pipeline")).key;
    const short = { ...accountEnvelope(tenantId, "acct-3", Date.parse("2026-06-03T10:00:00Z"), "ok, thanks"), interaction_id: randomUUID() };
    await fleet.post(short, key);
    await fleet.inboxReaches(db, tenantId, short.interaction_id, { word_counts: "done" });
    const status = await fetch(`${fleet.apiUrl}/v1/envelopes/${short.interaction_id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await status.json()) as { pipelines: Record<string, unknown> }).pipelines.word_counts).toMatchObject({ result: { status: "skipped", words: 0 } });
    expect(await wordCountRows(tenantId)).toEqual([{ interaction_id: short.interaction_id, words: 0 }]);
  });
});
