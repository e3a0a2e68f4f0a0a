import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DealgraphClient, verifyWebhook, type WebhookEvent } from "@dealgraph/client";
import { ApiKeys, InboxRepository, createDatabase, envelopeContentHash, type Database } from "@dealgraph/store";
import { ValidationError } from "@dealgraph/errors";
import { QUEUE_NAMES, closeQuietly, envelopeJobOptions, openQueue } from "@dealgraph/queues";
import { WebhookEndpoints, WebhookPublisher } from "@dealgraph/webhooks";
import type { Kysely } from "kysely";
import { TestFleet, accountEnvelope, pricingCall } from "../support/fleet";
import { deleteTenantData } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/** The envelope events this suite makes (its endpoints take every event; no risk-signal refresh runs here). */
type EnvelopeWebhook = Extract<WebhookEvent, { type: "envelope.processed" | "envelope.dead_lettered" }>;

/*
 * Webhooks end to end: a tenant registers an endpoint through the api, the workers process its
 * envelope, and the endpoint receives exactly one signed `envelope.processed` per pipeline,
 * retried through a receiver's failures; another tenant's endpoint never hears of it.
 */

jest.setTimeout(180_000);

const config = testConfig();
// The receivers here listen on 127.0.0.1, a private address a production fleet refuses.
const fleet = new TestFleet(config, { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_BACKOFF_MS: "200", WEBHOOK_ATTEMPTS: "5" });
let db: Kysely<Database>;
const tenantA = freshTenantId();
const tenantB = freshTenantId();
let clientA: DealgraphClient;
let clientB: DealgraphClient;
let keyA = "";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver that answers with `answer(n)` for its n-th request (0-based), 200 by default. */
async function receiver(answer: (n: number) => number = () => 200): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const status = answer(received.length);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), answered: status });
      res.writeHead(status).end(status === 200 ? "ok" : "not now");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

const receivers: Server[] = [];

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "webhooks-test" });
  const keys = new ApiKeys(db);
  keyA = (await keys.create(tenantA, "webhooks test A")).key;
  const keyB = (await keys.create(tenantB, "webhooks test B")).key;
  await fleet.startApi();
  clientA = new DealgraphClient({ baseUrl: fleet.apiUrl, apiKey: keyA });
  clientB = new DealgraphClient({ baseUrl: fleet.apiUrl, apiKey: keyB });
  await Promise.all([fleet.startWorker("deals"), fleet.startWorker("action_items")]);
});

afterAll(async () => {
  await fleet.stop();
  for (const server of receivers) server.close();
  await deleteTenantData(config, [], [tenantA, tenantB]);
  await db.destroy();
});

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${fleet.apps.map((a) => `--- ${a.name}\n${a.output().slice(-2000)}`).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it("delivers one signed envelope.processed per pipeline, through a receiver's failures, and none to another tenant", async () => {
  // A's receiver fails its first two requests; B's answers at once.
  const a = await receiver((n) => (n < 2 ? 500 : 200));
  const b = await receiver();
  receivers.push(a.server, b.server);
  const endpointA = await clientA.createWebhook({ url: a.url, events: ["envelope.processed"] });
  expect(endpointA.secret).toMatch(/^whsec_/);
  await clientB.createWebhook({ url: b.url });
  expect((await clientA.listWebhooks()).map((e) => [e.id, e.url])).toEqual([[endpointA.id, a.url]]);
  expect(await clientA.listWebhooks()).not.toContainEqual(expect.objectContaining({ secret: expect.anything() }));

  const sent = accountEnvelope(tenantA, "acct-hooks", Date.parse("2026-06-01T10:00:00Z"), pricingCall(120_000));
  const accepted = await clientA.postEnvelope(sent as Parameters<DealgraphClient["postEnvelope"]>[0]);
  await fleet.settled(db, tenantA, 1);
  await until("both pipelines' deliveries", () => a.received.filter((r) => r.answered === 200).length >= 2);
  // Time for a duplicate to show, if there were one.
  await new Promise((resolve) => setTimeout(resolve, 1500));

  const delivered = a.received.filter((r) => r.answered === 200);
  const events = delivered.map((r) => verifyWebhook(endpointA.secret, r.headers, r.body)) as EnvelopeWebhook[];
  expect(events.map((e) => e.data.pipeline).sort()).toEqual(["action_items", "deals"]);
  for (const event of events) {
    expect(event).toMatchObject({
      type: "envelope.processed",
      tenant_id: tenantA,
      data: { interaction_id: accepted.interaction_id, account_id: "acct-hooks" },
    });
    expect(event.data.summary).toMatchObject({ status: "processed", projection: "projected" });
    expect(event.id).toBe(delivered.find((r) => r.body.includes(event.data.pipeline))?.headers["webhook-id"]);
  }
  const deals = events.find((e) => e.data.pipeline === "deals") as EnvelopeWebhook;
  expect((deals.data.summary as { created: string[] }).created).toHaveLength(1);
  // The two failed attempts were the same delivery as one of the successes: same id, same body.
  expect(a.received).toHaveLength(4);
  const failedIds = a.received.filter((r) => r.answered === 500).map((r) => r.headers["webhook-id"]);
  for (const id of failedIds) expect(delivered.map((r) => r.headers["webhook-id"])).toContain(id);

  expect(b.received).toEqual([]);

  const record = await clientA.webhookDeliveries({ endpointId: endpointA.id });
  expect(record.map((d) => [d.pipeline, d.status]).sort()).toEqual([
    ["action_items", "delivered"],
    ["deals", "delivered"],
  ]);
  expect(record.reduce((sum, d) => sum + d.attempts, 0)).toBe(4);
  expect(await clientB.webhookDeliveries()).toEqual([]);
});

it("queues the deliveries of a run recorded done whose worker died before queueing them, when the job comes back", async () => {
  const tenant = freshTenantId();
  const hooks = await receiver();
  receivers.push(hooks.server);
  const client = new DealgraphClient({ baseUrl: fleet.apiUrl, apiKey: (await new ApiKeys(db).create(tenant, "webhooks crash test")).key });
  await client.createWebhook({ url: hooks.url, events: ["envelope.processed"] });

  // The state a crash right after the done status committed leaves: the deals run recorded done
  // with its delivery, nothing in the webhooks' queue, and the envelope's job about to come back.
  const sent = accountEnvelope(tenant, "acct-crash", Date.parse("2026-06-02T10:00:00Z"), pricingCall(90_000));
  await new InboxRepository(db).accept({
    tenantId: tenant,
    interactionId: sent.interaction_id,
    accountId: sent.account_id,
    occurredAt: sent.timestamp,
    envelope: sent,
    contentHash: envelopeContentHash(sent),
    runs: [
      { pipeline: "deals", skippedBecause: null },
      { pipeline: "action_items", skippedBecause: "not part of this test" },
    ],
  });
  const webhookQueue = openQueue(QUEUE_NAMES.webhooks, { connection: { url: config.redis.url }, prefix: fleet.prefix });
  const publisher = new WebhookPublisher(db, webhookQueue, { attempts: 3, backoffMs: 200 });
  const summary = { status: "processed", created: [], merged: [], deal_count: 0, projection: "projected", warnings: 0, errors: [], ms: 1 };
  const recorded = await new InboxRepository(db).setStatus(tenant, sent.interaction_id, "deals", "done", summary, (trx) =>
    publisher.record(trx, {
      type: "envelope.processed",
      tenantId: tenant,
      pipeline: "deals",
      interactionId: sent.interaction_id,
      accountId: "acct-crash",
      data: { summary },
    }),
  );
  expect(recorded).toHaveLength(1);
  expect(await webhookQueue.getJob(recorded?.[0]?.delivery_id ?? "")).toBeUndefined();
  await closeQuietly(webhookQueue);

  await fleet.queues.deals.add("envelope", { tenant_id: tenant, interaction_id: sent.interaction_id }, envelopeJobOptions(config, tenant, sent.interaction_id));
  await until("the recorded delivery", () => hooks.received.length >= 1);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(hooks.received).toHaveLength(1);
  expect(JSON.parse(hooks.received[0]?.body ?? "{}")).toMatchObject({
    type: "envelope.processed",
    data: { pipeline: "deals", interaction_id: sent.interaction_id, summary },
  });
  await deleteTenantData(config, [], [tenant]);
});

it("ends a delivery its receiver keeps refusing in the webhooks' dead-letter queue, recorded as dead", async () => {
  const refusing = await receiver(() => 503);
  receivers.push(refusing.server);
  const endpoint = await clientB.createWebhook({ url: refusing.url, events: ["envelope.processed"] });
  await clientB.postEnvelope(
    accountEnvelope(tenantB, "acct-refused", Date.parse("2026-06-02T10:00:00Z"), pricingCall(80_000)) as Parameters<DealgraphClient["postEnvelope"]>[0],
  );
  await fleet.settled(db, tenantB, 1);
  await until(
    "the deliveries to die",
    async () => (await clientB.webhookDeliveries({ endpointId: endpoint.id })).filter((d) => d.status === "dead").length === 2,
  );
  const dead = await clientB.webhookDeliveries({ endpointId: endpoint.id });
  expect(dead.map((d) => [d.attempts, d.last_status_code])).toEqual([
    [5, 503],
    [5, 503],
  ]);
  const letters = openQueue(QUEUE_NAMES.webhooksDead, { connection: { url: config.redis.url }, prefix: fleet.prefix });
  try {
    const ids = (await letters.getJobs(["waiting", "paused", "delayed", "completed", "failed"])).map((job) => job.id);
    expect(ids.sort()).toEqual(dead.map((d) => d.id).sort());
  } finally {
    await closeQuietly(letters);
  }
});

it("shows an operator the endpoints and deliveries through the CLI", async () => {
  const env = { DEALGRAPH_API_URL: fleet.apiUrl, DEALGRAPH_API_KEY: keyA };
  const listed = await dealgraph(["webhooks", "list", "--json"], env);
  expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: "" });
  expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((e) => e.id)).toEqual((await clientA.listWebhooks()).map((e) => e.id));
  const deliveries = await dealgraph(["webhooks", "deliveries"], env);
  expect(deliveries.code).toBe(0);
  expect(deliveries.stdout.trim().split("\n")).toHaveLength(2);
  expect(deliveries.stdout).toMatch(/envelope\.processed\s+deals\s+delivered\s+\d attempt/);
  const missing = await dealgraph(["webhooks", "delete", "0190a7e2-1c3b-7d4e-8f5a-000000000099"], env);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("no webhook endpoint");
});

it("refuses an endpoint that is not a URL, naming the field, and forgets a deleted one", async () => {
  const refused = await clientA.createWebhook({ url: "ftp://example.com/x" }).catch((e: unknown) => e);
  expect(refused).toMatchObject({ status: 400, code: "VALIDATION_FAILED", issues: [expect.objectContaining({ path: "url" })] });
  const [endpoint] = await clientA.listWebhooks();
  expect(await clientB.deleteWebhook(endpoint!.id)).toBe(false);
  expect(await clientA.deleteWebhook(endpoint!.id)).toBe(true);
  expect(await clientA.listWebhooks()).toEqual([]);
});

it("refuses, with private networks off, an endpoint on this host or a private address, storing nothing", async () => {
  const endpoints = new WebhookEndpoints(db, { allowHttp: true, allowPrivateNetworks: false });
  for (const url of ["http://169.254.169.254/latest/meta-data", "http://localhost:9000/hooks", "http://[::1]/hooks", "http://10.0.0.7/hooks"]) {
    const refused = await endpoints.create(tenantA, { url }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([{ path: "url", message: expect.stringContaining("public receiver") }]);
  }
  expect(await endpoints.list(tenantA)).toEqual([]);
});
