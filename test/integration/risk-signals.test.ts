import { randomUUID } from "node:crypto";
import type { GraphClient } from "@dealgraph/graph";
import { QUEUE_NAMES, closeQuietly, openQueue } from "@dealgraph/queues";
import { RiskSignalRefresher } from "@dealgraph/risk-signals";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import { WebhookEndpoints, WebhookPublisher } from "@dealgraph/webhooks";
import type { Kysely } from "kysely";
import { accepted, actionItemPipeline, corpusInFreshTenants, dealPipeline, deleteTenantData, silentLogger, type FreshCorpus } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

jest.setTimeout(180_000);

const config = testConfig();
let db: Kysely<Database>;
/** The owner role, to take rows away behind the system's back (the application role may not delete deliveries). */
let owner: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let corpus: FreshCorpus;
let tenantId: string;

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "risk-signals-test" });
  owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "risk-signals-test-owner" });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  corpus = await corpusInFreshTenants();
  tenantId = corpus.tenants.A ?? "";
});

afterAll(async () => {
  await deleteTenantData(config, [aiGraph, dealGraph], Object.values(corpus.tenants));
  await Promise.all([dealGraph.close(), aiGraph.close(), db.destroy(), owner.destroy()]);
});

const HOUR = 3_600_000;
const ACCOUNT = "acct-northwind";

/*
 * The Northwind series, call by call, with the risk signals evaluated after each one at a clock
 * an hour after the call: what the calls reveal raises signals, time alone raises more, and a
 * new interaction clears what it answers. Postgres holds what the deal graph holds, and the
 * reconciler agrees and mends it.
 */

type Changes = Awaited<ReturnType<RiskSignalRefresher["refresh"]>>["changes"];
const codesOf = (changes: Changes, opportunityId: string, kind: Changes[number]["kind"]) =>
  changes
    .filter((c) => c.kind === kind && c.next.opportunityId === opportunityId)
    .map((c) => c.next.code)
    .sort();

async function activeInPostgres(): Promise<string[]> {
  const rows = await withTenant(db, tenantId, (trx) => trx.selectFrom("risk_signals").select("signal_id").where("status", "=", "active").execute());
  return rows.map((r) => r.signal_id).sort();
}

async function activeInGraph(): Promise<string[]> {
  return dealGraph.read(async (tx) => {
    const result = await tx.run("MATCH (s:RiskSignal {tenant_id: $tenantId, status: 'active'}) RETURN s.signal_id AS id ORDER BY id", { tenantId });
    return result.records.map((r) => String(r.get("id")));
  });
}

async function reconcileRisk(...args: string[]) {
  const run = await dealgraph(["reconcile", "--tenant", tenantId, "--json", ...args]);
  const [report] = (
    JSON.parse(run.stdout) as { tenants: Array<{ kinds: Array<{ kind: string; graph: number; postgres: number; missing: string[]; staleCount: number }> }> }
  ).tenants;
  return Object.fromEntries(report!.kinds.filter((k) => k.kind.startsWith("risk_")).map((k) => [k.kind, k]));
}

it("raises and clears the series' signals as its calls arrive and as time passes, with Postgres and the reconciler agreeing", async () => {
  const items = actionItemPipeline(config, aiGraph, db);
  const deals = dealPipeline(config, dealGraph, db);
  let clock = new Date();
  const refresher = new RiskSignalRefresher({
    graphs: { deals: dealGraph, action_items: aiGraph },
    db,
    thresholds: config.risk.thresholds,
    logger: silentLogger,
    clock: () => clock,
  });
  const series = corpus.entries.filter((e) => e.envelope.tenant_id === tenantId && e.envelope.account_id === ACCOUNT);
  const byCall: Record<string, { created: string[]; changes: Changes }> = {};
  for (const entry of series) {
    await items.process(accepted(entry.envelope));
    const result = await deals.process(accepted(entry.envelope));
    clock = new Date(Date.parse(entry.envelope.timestamp) + HOUR);
    byCall[entry.name.slice(0, 12)] = { created: result.created, changes: (await refresher.refresh(tenantId, ACCOUNT)).changes };
  }
  const fleet = byCall["northwind-01"]!.created[0]!;
  // The discovery call names the incumbent and the budget owner: a competitor, but an economic buyer.
  expect(codesOf(byCall["northwind-01"]!.changes, fleet, "raised")).toContain("competitor_active");
  expect(codesOf(byCall["northwind-01"]!.changes, fleet, "raised")).not.toContain("no_economic_buyer");
  // The quarterly review opens deals nobody champions, and the seller's follow-ups from March are past due.
  const review = byCall["northwind-03"]!;
  expect(review.created.length).toBeGreaterThan(0);
  for (const id of review.created) expect(codesOf(review.changes, id, "raised")).toContain("no_champion");
  expect(codesOf(review.changes, fleet, "raised")).toContain("overdue_seller_items");
  // A month on, the fleet deal has not moved stage, and the buyer's legal review is late.
  expect(codesOf(byCall["northwind-04"]!.changes, fleet, "raised")).toEqual(expect.arrayContaining(["stalled", "overdue_customer_items"]));

  // Evaluating again with nothing new writes nothing.
  expect((await refresher.refresh(tenantId, ACCOUNT)).changes).toEqual([]);

  // Six weeks of silence raise "gone quiet" on every open deal without a new call.
  clock = new Date("2026-06-01T00:00:00Z");
  const quiet = await refresher.refreshTenant(tenantId);
  expect(quiet.accounts).toBe(1);
  expect(await activeInGraph()).toEqual(expect.arrayContaining([`${fleet}:gone_quiet`]));

  // A new note from the account answers the silence: "gone quiet" clears, and stays on record.
  const note = {
    ...series[series.length - 1]!.envelope,
    interaction_id: randomUUID(),
    timestamp: "2026-06-01T09:00:00Z",
    interaction_type: "note",
    content: { format: "plain", text: "Quick check-in with Dana Whitfield (Northwind Freight) about the rollout plan; nothing new on pricing." },
  };
  await deals.process(accepted(note as (typeof series)[number]["envelope"]));
  clock = new Date("2026-06-01T10:00:00Z");
  const cleared = await refresher.refresh(tenantId, ACCOUNT);
  expect(codesOf(cleared.changes, fleet, "cleared")).toContain("gone_quiet");
  const history = await withTenant(db, tenantId, (trx) =>
    trx.selectFrom("risk_signal_versions").select(["status", "version_number"]).where("signal_id", "=", `${fleet}:gone_quiet`).execute(),
  );
  expect(history).toEqual([{ status: "active", version_number: 1 }]);
  const row = await withTenant(db, tenantId, (trx) =>
    trx.selectFrom("risk_signals").selectAll().where("signal_id", "=", `${fleet}:gone_quiet`).executeTakeFirstOrThrow(),
  );
  expect(row).toMatchObject({ status: "cleared", version_number: 2 });
  expect(row.cleared_at).toEqual(new Date("2026-06-01T10:00:00Z"));

  // Postgres holds what the graph holds, and the reconciler finds nothing to say.
  expect(await activeInPostgres()).toEqual(await activeInGraph());
  const clean = await reconcileRisk();
  expect(clean.risk_signals).toMatchObject({ missing: [], staleCount: 0 });
  expect(clean.risk_signals!.graph).toBeGreaterThan(0);
  expect(clean.risk_signal_versions).toMatchObject({ missing: [], staleCount: 0 });

  // A row lost behind the system's back is reported, and --repair brings it back.
  await withTenant(db, tenantId, (trx) => trx.deleteFrom("risk_signals").where("signal_id", "=", `${fleet}:stalled`).execute());
  expect((await reconcileRisk()).risk_signals!.missing).toEqual([`${fleet}:stalled`]);
  await reconcileRisk("--repair");
  expect((await reconcileRisk()).risk_signals!.missing).toEqual([]);
  expect(await activeInPostgres()).toEqual(await activeInGraph());
});

it("publishes each change to the tenant's webhooks once: recorded with the rows, queued after, never twice", async () => {
  const tenant = corpus.tenants.B ?? "";
  const endpoint = await new WebhookEndpoints(db, { allowHttp: true, allowPrivateNetworks: true }).create(tenant, {
    url: "http://127.0.0.1:9/hooks",
    events: ["risk_signal.raised", "risk_signal.cleared"],
  });
  const queue = openQueue(QUEUE_NAMES.webhooks, { connection: { url: config.redis.url }, prefix: `risk-test-${randomUUID()}` });
  try {
    const entry = corpus.entries.find((e) => e.envelope.tenant_id === tenant)!;
    await dealPipeline(config, dealGraph, db).process(accepted(entry.envelope));
    const accountId = entry.envelope.account_id ?? "";
    let clock = new Date(Date.parse(entry.envelope.timestamp) + HOUR);
    const refresher = new RiskSignalRefresher({
      graphs: { deals: dealGraph, action_items: aiGraph },
      db,
      thresholds: config.risk.thresholds,
      logger: silentLogger,
      clock: () => clock,
      events: new WebhookPublisher(db, queue, { attempts: 1, backoffMs: 1000 }),
    });
    const raised = (await refresher.refresh(tenant, accountId)).changes;
    expect(raised.length).toBeGreaterThan(0);
    const deliveries = async () =>
      withTenant(db, tenant, (trx) =>
        trx.selectFrom("webhook_deliveries").select(["delivery_id", "event_type", "payload"]).where("endpoint_id", "=", endpoint.id).execute(),
      );
    const first = await deliveries();
    expect(first.map((d) => d.event_type)).toEqual(raised.map(() => "risk_signal.raised"));
    const body = JSON.parse(first[0]!.payload) as { type: string; data: { account_id: string; signal: { id: string; status: string; version: number } } };
    expect(body).toMatchObject({ type: "risk_signal.raised", data: { account_id: accountId, signal: { status: "active", version: 1 } } });
    expect(raised.map((c) => c.next.signalId)).toContain(body.data.signal.id);
    expect((await queue.getJobCounts("waiting")).waiting).toBe(first.length);

    // A projection that failed after its graph write took the signal's row and its deliveries
    // with it: the next refresh writes both, under the same delivery id.
    const lost = raised[0]!.next.signalId;
    const lostDelivery = first.find((d) => (JSON.parse(d.payload) as { data: { signal: { id: string } } }).data.signal.id === lost)!;
    await withTenant(owner, tenant, async (trx) => {
      await trx.deleteFrom("webhook_deliveries").where("delivery_id", "=", lostDelivery.delivery_id).execute();
      await trx.deleteFrom("risk_signals").where("signal_id", "=", lost).execute();
    });
    expect((await refresher.refresh(tenant, accountId)).changes).toEqual([]);
    const mended = await withTenant(db, tenant, (trx) => trx.selectFrom("risk_signals").select("status").where("signal_id", "=", lost).executeTakeFirst());
    expect(mended).toEqual({ status: "active" });
    expect((await deliveries()).map((d) => d.delivery_id).sort()).toEqual(first.map((d) => d.delivery_id).sort());

    // Nothing new: nothing published. Time passes: only the clearing and raising the endpoint asked for.
    await refresher.refresh(tenant, accountId);
    expect(await deliveries()).toHaveLength(first.length);
    clock = new Date(Date.parse(entry.envelope.timestamp) + 60 * 86_400_000);
    const later = (await refresher.refresh(tenant, accountId)).changes;
    const wanted = later.filter((c) => c.kind !== "updated").length;
    expect((await deliveries()).length).toBe(first.length + wanted);
  } finally {
    await closeQuietly(queue);
  }
});

it("keeps tenants apart: another tenant's refresh of the same account id sees and writes nothing of this one", async () => {
  const other = corpus.tenants.B ?? "";
  const refresher = new RiskSignalRefresher({
    graphs: { deals: dealGraph, action_items: aiGraph },
    db,
    thresholds: config.risk.thresholds,
    logger: silentLogger,
  });
  const before = await activeInGraph();
  await refresher.refresh(other, ACCOUNT);
  expect(await activeInGraph()).toEqual(before);
  const rows = await withTenant(db, other, (trx) => trx.selectFrom("risk_signals").select("signal_id").execute());
  expect(rows.filter((r) => before.includes(r.signal_id))).toEqual([]);
});

it("is what `dealgraph risk` runs, account by account, and --account without --tenant is refused by name", async () => {
  const run = await dealgraph(["risk", "--tenant", tenantId, "--json"]);
  expect(run.code).toBe(0);
  const [report] = (
    JSON.parse(run.stdout) as { tenants: Array<{ tenantId: string; outcomes: Array<{ accountId: string; changes: unknown[]; active: number }> }> }
  ).tenants;
  expect(report!.outcomes.map((o) => o.accountId)).toEqual([ACCOUNT]);
  expect(report!.outcomes[0]!.active).toBeGreaterThan(0);
  const refused = await dealgraph(["risk", "--account", ACCOUNT]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain("--tenant");
});
