import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GraphClient } from "@dealgraph/graph";
import { ApiKeys, createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { TestFleet, accountEnvelope, pricingCall } from "../support/fleet";
import { corpusInFreshTenants, deleteTenantData, type FreshCorpus } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { connectGraph, freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * The operator CLI against a running fleet: `enqueue` through the api (and --direct), `status`,
 * and `reconcile` telling whether the graphs and Postgres agree.
 */

jest.setTimeout(240_000);

interface Outcome {
  file: string;
  interaction_id: string | null;
  accepted: { interaction_id: string; duplicate: boolean } | null;
  status: { pipelines: Record<string, { state: string }> } | null;
  error: { code: string; issues: Array<{ path: string }> } | null;
}
interface EnqueueReport {
  envelopes: Outcome[];
  totals: { envelopes: number; accepted: number; duplicates: number; refused: number; ok: number; failed: number; deals: { created: number } };
}
interface Comparison {
  tenantId: string;
  drift: number;
  kinds: Array<{ kind: string; graph: number; postgres: number; missing: string[]; extra: string[] }>;
}

const config = testConfig();
const fleet = new TestFleet(config);
let db: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let dir: string;
let corpus: FreshCorpus;
let files: string[];
let env: NodeJS.ProcessEnv;
const extraTenant = freshTenantId();

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "cli-fleet-test" });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  dir = await mkdtemp(path.join(tmpdir(), "dealgraph-enqueue-"));
  corpus = await corpusInFreshTenants();
  files = [];
  for (const entry of corpus.entries) {
    const file = path.join(dir, `${entry.name}.json`);
    await writeFile(file, JSON.stringify(entry.envelope));
    files.push(file);
  }
  await fleet.startApi();
  await fleet.startWorker("deals");
  await fleet.startWorker("action_items");
  const keys = new ApiKeys(db);
  const tenantKeys = await Promise.all(Object.values(corpus.tenants).map(async (tenantId) => (await keys.create(tenantId, "cli test")).key));
  env = { QUEUE_PREFIX: fleet.prefix, DEALGRAPH_API_URL: fleet.apiUrl, DEALGRAPH_API_KEY: tenantKeys.join(","), LOG_LEVEL: "warn" };
}, 120_000);

afterAll(async () => {
  await fleet.stop();
  await deleteTenantData(config, [dealGraph, aiGraph], [...Object.values(corpus.tenants), extraTenant]);
  await Promise.all([db.destroy(), dealGraph.close(), aiGraph.close()]);
  await rm(dir, { recursive: true, force: true });
}, 120_000);

const parse = <T>(stdout: string) => JSON.parse(stdout) as T;

describe("dealgraph enqueue, status and reconcile", () => {
  it("posts envelope files through the api, waits for both pipelines and reports each one", async () => {
    const run = await dealgraph(["enqueue", ...files, "--wait", "--json"], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("processed by both pipelines") as string });
    const report = parse<EnqueueReport>(run.stdout);
    expect(report.totals).toMatchObject({ envelopes: files.length, accepted: files.length, duplicates: 0, refused: 0, ok: files.length, failed: 0 });
    expect(report.totals.deals.created).toBeGreaterThan(0);
    expect(report.envelopes.map((e) => e.interaction_id)).toEqual(corpus.entries.map((e) => e.envelope.interaction_id));
    for (const outcome of report.envelopes) {
      expect(outcome.status?.pipelines).toEqual({
        action_items: expect.objectContaining({ state: "completed" }),
        deals: expect.objectContaining({ state: "completed" }),
      });
    }
  });

  it("posting again answers with the same ids and enqueues nothing new", async () => {
    const counts = async () =>
      Promise.all([
        fleet.queues.deals.getJobCountByTypes("completed", "waiting", "delayed", "active", "failed"),
        fleet.queues.action_items.getJobCountByTypes("completed", "waiting", "delayed", "active", "failed"),
      ]);
    const before = await counts();
    const run = await dealgraph(["enqueue", ...files, "--json"], env);
    expect(run.code).toBe(0);
    const report = parse<EnqueueReport>(run.stdout);
    expect(report.totals).toMatchObject({ accepted: files.length, duplicates: files.length });
    expect(await counts()).toEqual(before);
  });

  it("reports a broken file and an envelope of a tenant it has no key for, and still sends the rest", async () => {
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, "{ not json");
    const stranger = path.join(dir, "stranger.json");
    await writeFile(stranger, JSON.stringify(accountEnvelope(extraTenant, "acct-x", Date.now(), pricingCall(10_000))));
    const invalid = path.join(dir, "invalid.json");
    await writeFile(invalid, JSON.stringify({ ...accountEnvelope(corpus.tenants.A ?? "", "acct-x", Date.now(), pricingCall(10_000)), timestamp: "yesterday" }));
    const run = await dealgraph(["enqueue", broken, stranger, invalid, files[0] ?? "", "--json"], env);
    expect(run.code).toBe(1);
    const report = parse<EnqueueReport>(run.stdout);
    expect(report.envelopes.map((e) => [e.error?.code ?? "accepted", e.error?.issues.map((i) => i.path) ?? []])).toEqual([
      ["VALIDATION_FAILED", [""]],
      ["VALIDATION_FAILED", ["tenant_id"]],
      ["VALIDATION_FAILED", ["timestamp"]],
      ["accepted", []],
    ]);
    // Nothing of the stranger's tenant reached the inbox.
    expect(await withTenant(db, extraTenant, (trx) => trx.selectFrom("inbox").select("interaction_id").execute())).toEqual([]);
  });

  it("enqueues straight onto the queues with --direct, and status reads it back directly and through the api", async () => {
    const sent = accountEnvelope(extraTenant, "acct-direct", Date.parse("2026-09-01T10:00:00Z"), pricingCall(70_000));
    const file = path.join(dir, "direct.json");
    await writeFile(file, JSON.stringify(sent));
    const run = await dealgraph(["enqueue", file, "--direct", "--wait", "--json"], { ...env, DEALGRAPH_API_KEY: "" });
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    expect(parse<EnqueueReport>(run.stdout).totals).toMatchObject({ accepted: 1, ok: 1 });

    const direct = await dealgraph(["status", sent.interaction_id, "--direct", "--tenant", extraTenant, "--json"], env);
    expect(parse<{ pipelines: Record<string, { state: string; result?: { created?: string[] } }> }>(direct.stdout).pipelines.deals).toMatchObject({
      state: "completed",
      result: { created: [expect.any(String)] },
    });
    // Through the api, a key sees only its own tenant's interactions.
    const viaApi = await dealgraph(["status", corpus.interactionOf("northwind-01"), "--json"], env);
    expect(parse<{ pipelines: Record<string, { state: string }> }>(viaApi.stdout).pipelines.action_items?.state).toBe("completed");
    const foreign = await dealgraph(["status", sent.interaction_id], env);
    expect({ code: foreign.code, stderr: foreign.stderr }).toEqual({ code: 2, stderr: expect.stringContaining("no interaction") as string });
    expect((await dealgraph(["status", randomUUID().slice(0, 8)], env)).code).toBe(2);
  });

  it("reconcile finds the graphs and Postgres in agreement, then names a deleted row and an extra row", async () => {
    const tenantId = corpus.tenants.A ?? "";
    const clean = await dealgraph(["reconcile", "--tenant", tenantId, "--json"], env);
    expect(clean.code).toBe(0);
    const [agreed] = parse<{ tenants: Comparison[] }>(clean.stdout).tenants;
    expect(agreed?.drift).toBe(0);
    expect(agreed?.kinds.find((k) => k.kind === "action_items")?.graph).toBeGreaterThan(0);

    // Behind the system's back: one action item row deleted, one stray owner row added (counts of owners change, items too).
    const owner = createDatabase({ url: config.postgres.ownerUrl, poolMax: 1, applicationName: "cli-fleet-owner" });
    const deleted = await withTenant(owner, tenantId, async (trx) => {
      const row = await trx
        .selectFrom("action_items")
        .select("action_item_id")
        .where("tenant_id", "=", tenantId)
        .orderBy("action_item_id")
        .limit(1)
        .executeTakeFirstOrThrow();
      await trx.deleteFrom("action_item_versions").where("action_item_id", "=", row.action_item_id).execute();
      await trx.deleteFrom("action_items").where("action_item_id", "=", row.action_item_id).execute();
      return row.action_item_id;
    });
    const stray = randomUUID();
    await withTenant(owner, tenantId, (trx) =>
      trx
        .insertInto("owners")
        .values({ tenant_id: tenantId, owner_id: stray, name: "Nobody", normalized_name: `nobody-${stray}` })
        .execute(),
    );
    await owner.destroy();

    const drifted = await dealgraph(["reconcile", "--tenant", tenantId, "--json"], env);
    expect(drifted.code).toBe(1);
    const [found] = parse<{ tenants: Comparison[] }>(drifted.stdout).tenants;
    expect(found?.kinds.find((k) => k.kind === "action_items")).toMatchObject({ missing: [deleted], extra: [] });
    expect(found?.kinds.find((k) => k.kind === "owners")).toMatchObject({ missing: [], extra: [stray] });
  });
});
