import { randomUUID } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { GraphClient } from "@dealgraph/graph";
import { QUEUE_NAMES, pipelineQueues } from "@dealgraph/queues";
import type { Pipeline } from "../support/fleet";
import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import type { Browser } from "playwright-core";
import { launchChromium } from "../support/chromium";
import { TestFleet, accountEnvelope, pricingCall } from "../support/fleet";
import { deleteTenantData, SuiteTenants } from "../support/pipelines";
import { projectRoot } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * Bull Board as operators use it: every queue and dead-letter queue behind basic
 * authentication, a dead-lettered job replayed by retrying it from the board, and a read-only
 * board that refuses to change anything. Chromium renders it and a screenshot is kept.
 */

jest.setTimeout(180_000);

const config = testConfig();
const fleet = new TestFleet(config);
const suite = new SuiteTenants();
const password = `board-${randomUUID()}`;
const operator = { user: "operator", password };
let db: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let board = "";
let readOnlyBoard = "";
let browser: Browser | undefined;

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
const asOperator = { authorization: basic(operator.user, operator.password) };

async function boardJson(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, headers: { ...asOperator, ...init.headers } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface BoardQueueView {
  name: string;
  readOnlyMode: boolean;
  counts: Record<string, number>;
}

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "dashboard-test" });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  await fleet.startApi();
  // Development mode, the worst case: Bull Board would add stack traces to its errors.
  // The tests below send a few dozen wrong logins on purpose; the throttle has its own test.
  board = (await fleet.startDashboard({ DASHBOARD_PASSWORD: password, NODE_ENV: "development", DASHBOARD_FAILED_LOGINS_PER_MINUTE: "1000" })).url;
  readOnlyBoard = (await fleet.startDashboard({ DASHBOARD_PASSWORD: password, DASHBOARD_READ_ONLY: "true", DASHBOARD_FAILED_LOGINS_PER_MINUTE: "1000" })).url;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fleet.stop();
  await deleteTenantData(config, [dealGraph, aiGraph], suite.ids);
  await Promise.all([db.destroy(), dealGraph.close(), aiGraph.close()]);
}, 120_000);

describe("the dashboard", () => {
  it("refuses anonymous access and wrong credentials on every page and API route", async () => {
    for (const route of ["/", "/api/queues", `/queue/${pipelineQueues("deals").deadLetter}`, "/api/redis/stats"]) {
      const anonymous = await fetch(`${board}${route}`);
      expect({ route, status: anonymous.status, challenge: anonymous.headers.get("www-authenticate") }).toEqual({
        route,
        status: 401,
        challenge: expect.stringContaining("Basic") as string,
      });
      for (const wrong of [basic(operator.user, `${password}x`), basic("someone", password), "Bearer abc"]) {
        expect({ route, wrong, status: (await fetch(`${board}${route}`, { headers: { authorization: wrong } })).status }).toEqual({
          route,
          wrong,
          status: 401,
        });
      }
    }
    // A refusal says nothing of the server: the api's error shape, no stack, no path, no versions.
    const refused = await fetch(`${board}/api/queues`);
    const text = await refused.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "UNAUTHENTICATED", message: expect.any(String) } });
    expect(text).not.toMatch(/\bat |\/work|node_modules|\.ts:|fastify/i);
    // Only the probes answer without credentials, and they say nothing about the queues.
    expect(await (await fetch(`${board}/healthz`)).json()).toEqual({ status: "ok" });
  });

  it("throttles failed logins per address (never the right password) and answers 429 in the api's shape", async () => {
    // A fleet of its own: its own Redis namespace for the counts.
    const own = new TestFleet(config);
    try {
      const throttled = (await own.startDashboard({ DASHBOARD_PASSWORD: password, DASHBOARD_FAILED_LOGINS_PER_MINUTE: "3" })).url;
      const wrong = { authorization: basic(operator.user, `${password}x`) };
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${throttled}/api/queues`, { headers: wrong })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limited = await fetch(`${throttled}/api/queues`, { headers: wrong });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await limited.json()).toEqual({ error: { code: "RATE_LIMITED", message: expect.any(String) } });
      // The right password still works: only failures are counted.
      expect((await fetch(`${throttled}/api/queues`, { headers: asOperator })).status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it("answers an operator's failing request without a stack trace, even in development mode", async () => {
    const response = await fetch(`${board}/api/queues/no-such-queue/retry/failed`, { method: "PUT", headers: asOperator });
    const text = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.parse(text)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(text).not.toMatch(/\bat |\/work|node_modules|\.ts:|stack/i);
  });

  it("answers the router's own refusals (a parameter too long, a URL it cannot decode) in the same shape", async () => {
    const tooLong = await fetch(`${board}/api/queues/${"q".repeat(5_000)}`, { headers: asOperator });
    expect(tooLong.status).toBe(414);
    expect(await tooLong.json()).toEqual({ error: { code: "URI_TOO_LONG", message: expect.any(String) } });
    const undecodable = await fetch(`${board}/api/queues/%E0%A4%A`, { headers: asOperator });
    expect(undecodable.status).toBe(400);
    const text = await undecodable.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "BAD_URL", message: expect.any(String) } });
    expect(text).not.toMatch(/%E0|fastify/i);
  });

  it("shows an operator every pipeline queue and its dead letters, and the webhooks' queues", async () => {
    const { status, body } = await boardJson(`${board}/api/queues`);
    expect(status).toBe(200);
    const queues = body.queues as BoardQueueView[];
    expect(queues.map((q) => q.name).sort()).toEqual(
      [
        ...["action_items", "deals"].map((name) => pipelineQueues(name)).flatMap((names) => [names.queue, names.deadLetter, names.projection]),
        QUEUE_NAMES.reconcile,
        QUEUE_NAMES.riskSignals,
        QUEUE_NAMES.webhooks,
        QUEUE_NAMES.webhooksDead,
      ].sort(),
    );
    expect(queues.every((q) => !q.readOnlyMode)).toBe(true);
    const readOnly = await boardJson(`${readOnlyBoard}/api/queues`);
    expect((readOnly.body.queues as BoardQueueView[]).every((q) => q.readOnlyMode)).toBe(true);
  });

  it("replays a dead-lettered envelope when an operator retries it from the board; the read-only board refuses", async () => {
    const tenantId = suite.next();
    const key = (await new ApiKeys(db).create(tenantId, "dashboard test")).key;
    const sent = accountEnvelope(tenantId, "acct-board", Date.parse("2026-10-02T09:00:00Z"), pricingCall(300_000));
    expect((await fleet.post(sent, key)).status).toBe(202);
    await fleet.setStoredEnvelope(tenantId, sent.interaction_id, { ...sent, timestamp: "not a time" });
    const workers = [await fleet.startWorker("deals"), await fleet.startWorker("action_items")];
    const dead = { deals: "dead", action_items: "dead" };
    expect(await fleet.inboxReaches(db, tenantId, sent.interaction_id, dead)).toEqual(dead);

    const jobId = `${tenantId}.${sent.interaction_id}`;
    const counts = async () => Object.fromEntries(((await boardJson(`${board}/api/queues`)).body.queues as BoardQueueView[]).map((q) => [q.name, q.counts]));
    const before = await counts();
    for (const pipeline of ["deals", "action_items"] as Pipeline[]) {
      expect(before[pipelineQueues(pipeline).queue]).toMatchObject({ failed: 1 });
      expect(before[pipelineQueues(pipeline).deadLetter]).toMatchObject({ waiting: 1 });
      const letter = await boardJson(`${board}/api/queues/${pipelineQueues(pipeline).deadLetter}/${encodeURIComponent(jobId)}`);
      expect(letter.status).toBe(200);
      expect((letter.body.job as { data: Record<string, unknown> }).data).toMatchObject({ job_id: jobId, code: "VALIDATION_FAILED", attempts: 1 });
    }

    const retry = (base: string, pipeline: Pipeline) =>
      boardJson(`${base}/api/queues/${pipelineQueues(pipeline).queue}/${encodeURIComponent(jobId)}/retry`, { method: "PUT" });
    // Read-only is enforced by the server, not only hidden in the page.
    expect((await retry(readOnlyBoard, "deals")).status).toBe(405);
    expect((await boardJson(`${readOnlyBoard}/api/queues/${pipelineQueues("deals").deadLetter}/clean/waiting`, { method: "PUT" })).status).toBe(405);
    expect(await fleet.queues.deals.getJobState(jobId)).toBe("failed");

    await fleet.setStoredEnvelope(tenantId, sent.interaction_id, sent);
    for (const pipeline of ["deals", "action_items"] as Pipeline[]) expect((await retry(board, pipeline)).status).toBe(204);
    await fleet.settled(db, tenantId, 1);
    const done = { deals: "done", action_items: "done" };
    expect(await fleet.inboxReaches(db, tenantId, sent.interaction_id, done)).toEqual(done);

    const deals = await dealGraph.read(async (tx) =>
      (await tx.run("MATCH (d:Deal {tenant_id: $tenantId}) RETURN d.version_number AS version, d.amount AS amount", { tenantId })).records.map((r) =>
        r.toObject(),
      ),
    );
    expect(deals).toEqual([{ version: 1, amount: 300_000 }]);
    // The letters go once their envelope has gone through.
    const after = await counts();
    expect(after[pipelineQueues("deals").deadLetter]).toMatchObject({ waiting: 0 });
    expect(after[pipelineQueues("action_items").deadLetter]).toMatchObject({ waiting: 0 });
    await Promise.all(workers.map((w) => w.stop()));
  });

  it("renders in headless Chromium for an operator (screenshot kept) and refuses a stranger", async () => {
    browser = await launchChromium();
    // Without credentials Chromium gives up on the challenge (the navigation fails); with wrong
    // ones it shows the 401. Either way no queue reaches the page.
    for (const credentials of [undefined, { username: operator.user, password: "not-the-password" }]) {
      const stranger = await browser.newContext(credentials ? { httpCredentials: credentials } : {});
      const page = await stranger.newPage();
      const outcome = await page.goto(board).then(
        (response) => String(response?.status()),
        (error: Error) => error.message,
      );
      expect(outcome).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
      expect(await page.getByText(pipelineQueues("deals").deadLetter).count()).toBe(0);
      await stranger.close();
    }

    const context = await browser.newContext({ httpCredentials: { username: operator.user, password }, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(board);
    expect(response?.status()).toBe(200);
    // The board is a single-page app: the queue names appear once it has fetched /api/queues.
    for (const name of [pipelineQueues("deals").queue, pipelineQueues("deals").deadLetter, pipelineQueues("action_items").deadLetter]) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 30_000 });
    }
    await page.getByText("Loading", { exact: false }).first().waitFor({ state: "detached", timeout: 30_000 });
    const dir = path.join(projectRoot, "test", "artifacts");
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, "dashboard.png");
    await page.screenshot({ path: file, fullPage: true });
    const png = await readFile(file);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(png.length).toBeGreaterThan(10_000);
    await context.close();
  });

  it("refuses to start without a password", async () => {
    await expect(fleet.startDashboard({ DASHBOARD_PASSWORD: "" })).rejects.toThrow(/DASHBOARD_PASSWORD is not set/);
  });
});
