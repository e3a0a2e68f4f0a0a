import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { GraphClient } from "@dealgraph/graph";
import { RiskSignalRefresher } from "@dealgraph/risk-signals";
import { ApiKeys, InboxRepository, createDatabase, envelopeContentHash, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/chromium";
import { freePort } from "../support/free-port";
import { corpusInFreshTenants, deleteTenantData, processCorpus, silentLogger, type FreshCorpus } from "../support/pipelines";
import { startApp, type RunningApp } from "../support/processes";
import { projectRoot } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * The deal room in headless Chromium over the sample corpus, processed by both pipelines and
 * with its risk signals evaluated: a tenant's key opens its accounts, the deal's timeline,
 * evidence quotes and signals, and the as-of view; another tenant's key sees none of it.
 * Screenshots are kept in test/artifacts.
 */

jest.setTimeout(240_000);

const config = testConfig();
let db: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let corpus: FreshCorpus;
let browser: Browser;
let app: RunningApp;
let base: string;
const keys: Record<string, string> = {};
const artifacts = path.join(projectRoot, "test", "artifacts");
const FAILED_LOGINS = 5;

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "deal-room-test" });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  corpus = await corpusInFreshTenants();
  // The api's intake stores every envelope in the inbox first; the interaction pages read it there.
  const inbox = new InboxRepository(db);
  for (const { envelope } of corpus.entries) {
    await inbox.accept({
      tenantId: envelope.tenant_id,
      interactionId: String(envelope.interaction_id),
      accountId: envelope.account_id ?? null,
      occurredAt: envelope.timestamp,
      envelope: envelope as unknown as Record<string, unknown>,
      contentHash: envelopeContentHash(envelope as unknown as Record<string, unknown>),
      runs: [],
    });
  }
  await processCorpus(config, { action_items: aiGraph, deals: dealGraph }, db, corpus);
  const refresher = new RiskSignalRefresher({
    graphs: { deals: dealGraph, action_items: aiGraph },
    db,
    thresholds: config.risk.thresholds,
    logger: silentLogger,
  });
  for (const tenantId of Object.values(corpus.tenants)) await refresher.refreshTenant(tenantId);
  const apiKeys = new ApiKeys(db);
  for (const [name, tenantId] of Object.entries(corpus.tenants)) keys[name] = (await apiKeys.create(tenantId, "deal room test")).key;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Its own prefix, so that the failed sign-ins this suite makes count against nobody else's.
  app = await startApp(
    "deal-room",
    { DEAL_ROOM_PORT: String(port), QUEUE_PREFIX: `{deal-room-test-${randomUUID().slice(0, 8)}}`, DEAL_ROOM_FAILED_LOGINS_PER_MINUTE: String(FAILED_LOGINS) },
    `${base}/healthz`,
  );
  browser = await launchChromium();
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await deleteTenantData(config, [aiGraph, dealGraph], Object.values(corpus.tenants));
  await Promise.all([dealGraph.close(), aiGraph.close(), db.destroy()]);
});

async function signedIn(tenant: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  expect(new URL(page.url()).pathname).toBe("/login");
  await page.fill("input[name=api_key]", keys[tenant]!);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  return page;
}

const cellTexts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

it("refuses a stranger, and a wrong key, before showing anything", async () => {
  expect((await fetch(`${base}/`, { redirect: "manual" })).status).toBe(303);
  expect((await fetch(`${base}/`, { redirect: "manual", headers: { authorization: "Bearer dgk_not-a-key" } })).status).toBe(303);
  const wrong = await fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ api_key: "dgk_not-a-key" }) });
  expect(wrong.status).toBe(401);
  expect(await wrong.text()).toContain("not a valid API key");
});

it("shows the tenant's accounts, the account's deals, items by owner and signals, with screenshots", async () => {
  const page = await signedIn("A");
  const accounts = await cellTexts(page, "[data-testid=accounts] tbody tr td:first-child");
  expect(accounts).toEqual(expect.arrayContaining(["acct-northwind", "acct-harbor-dental"]));
  await page.screenshot({ path: path.join(artifacts, "deal-room-accounts.png"), fullPage: true });

  await page.click("text=acct-northwind");
  await page.waitForURL(/\/accounts\/acct-northwind$/);
  const deals = await cellTexts(page, "[data-testid=deals] tbody tr");
  expect(deals.length).toBeGreaterThanOrEqual(2);
  expect(await page.locator("[data-testid=signals] tbody tr").count()).toBeGreaterThan(0);
  expect(await page.locator("[data-testid=items]").count()).toBeGreaterThan(1);
  expect(await page.locator("[data-testid=items][data-owner='Dana Whitfield']").count()).toBe(1);
  await page.screenshot({ path: path.join(artifacts, "deal-room-account.png"), fullPage: true });
  // What is still to do by default; every item, done ones too, one click away.
  const todo = await page.locator("[data-testid=items] tbody tr").count();
  expect(await page.locator("[data-testid=items] tbody tr[data-status=done]").count()).toBe(0);
  await page.click("[data-testid=all-items]");
  expect(await page.locator("[data-testid=items] tbody tr").count()).toBeGreaterThan(todo);
  expect(await page.locator("[data-testid=items] tbody tr[data-status=done]").count()).toBeGreaterThan(0);
  await page.context().close();
});

it("shows a deal's timeline, evidence quotes with their interactions, its signals and the as-of view before and after the pilot call", async () => {
  const page = await signedIn("A");
  await page.goto(`${base}/accounts/acct-northwind`);
  // The deal opened in the discovery call and moved on in the pilot-scoping call.
  const discovery = corpus.interactionOf("northwind-01");
  const pilot = corpus.interactionOf("northwind-02");
  const links = await page.locator("[data-testid=deals] tbody tr td:first-child a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  let dealPath: string | null = null;
  for (const href of links) {
    await page.goto(`${base}${href}`);
    const sources = await page.locator("[data-testid=timeline] a[href^='/interactions/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    if (sources[0] === `/interactions/${discovery}` && sources.includes(`/interactions/${pilot}`)) dealPath = href;
    if (dealPath) break;
  }
  expect(dealPath).not.toBeNull();

  const versions = await page.locator("[data-testid=timeline] tbody tr").count();
  expect(versions).toBeGreaterThanOrEqual(3);
  const quotes = await cellTexts(page, "[data-testid=meddic] tbody tr[data-field=economic_buyer] td:nth-child(3) .quote");
  expect(quotes[0]).toMatch(/^“.+”$/);
  const evidenceLink = page.locator("[data-testid=meddic] tbody tr[data-field=economic_buyer] td:nth-child(3) a");
  expect(await evidenceLink.getAttribute("href")).toMatch(/^\/interactions\/[0-9a-f-]{36}$/);
  const scored = page.locator("[data-testid=ontology] tbody tr[data-dimension=pricing_alignment] td:nth-child(3)");
  expect(await scored.locator(".quote").innerText()).toMatch(/^“.+”$/);
  expect(await scored.locator("a").getAttribute("href")).toMatch(/^\/interactions\/[0-9a-f-]{36}$/);
  expect(await page.locator("[data-testid=signals] tbody tr").count()).toBeGreaterThan(0);
  expect(await page.locator("svg[aria-label='Completeness over time'] polyline").count()).toBe(2);
  await page.screenshot({ path: path.join(artifacts, "deal-room-deal.png"), fullPage: true });
  // The first screenful, as the README shows it (docs/deal-room.png is a copy).
  await page.screenshot({ path: path.join(artifacts, "deal-room-deal-top.png") });

  // The evidence link opens what was said.
  await evidenceLink.click();
  expect(await page.locator("[data-testid=transcript]").innerText()).toContain((quotes[0] ?? "").replace(/[“”]/g, "").slice(0, 20));

  await page.goto(`${base}${dealPath}`);
  const stageOf = async (version: number) => page.locator(`[data-testid=timeline] tbody tr[data-version="${version}"] td:nth-child(3)`).innerText();
  const [v1, v2] = [await stageOf(1), await stageOf(2)];
  await page.goto(`${base}${dealPath}?as_of=2026-03-10`);
  const before = await page.locator("[data-testid=stage]").innerText();
  await page.goto(`${base}${dealPath}?as_of=2026-03-20`);
  const after = await page.locator("[data-testid=stage]").innerText();
  // Before the pilot call the first version's stage, after it the one the pilot call made.
  expect([before, after]).toEqual([v1, v2]);
  expect(before).not.toBe(after);
  expect(await page.locator("[data-testid=as-of-state]").innerText()).toContain("version 2");
  await page.screenshot({ path: path.join(artifacts, "deal-room-as-of.png"), fullPage: true });
  await page.goto(`${base}${dealPath}?as_of=2026-02-01`);
  expect(await page.locator("[data-testid=as-of-state]").innerText()).toContain("had not been discussed");
  expect((await page.goto(`${base}${dealPath}?as_of=yesterday`))?.status()).toBe(400);
  expect((await page.goto(`${base}/deals/not-an-id`))?.status()).toBe(404);
  expect((await page.goto(`${base}/accounts/no-such-account`))?.status()).toBe(404);
  await page.context().close();
});

it("shows another tenant's key nothing of this tenant, even under a colliding account id", async () => {
  const a = await signedIn("A");
  await a.goto(`${base}/accounts/acct-northwind`);
  const dealLinks = await a.locator("[data-testid=deals] tbody tr td:first-child a").evaluateAll((as) => as.map((x) => x.getAttribute("href") ?? ""));
  await a.context().close();

  const b = await signedIn("B");
  expect(await cellTexts(b, "[data-testid=accounts] tbody tr td:first-child")).toEqual(["acct-northwind"]);
  for (const href of dealLinks) expect((await b.goto(`${base}${href}`))?.status()).toBe(404);
  expect((await b.goto(`${base}/interactions/${corpus.interactionOf("northwind-01")}`))?.status()).toBe(404);
  // Tenant B has an acct-northwind of its own (one discovery call): its page shows B's deal only.
  await b.goto(`${base}/accounts/acct-northwind`);
  const bDeals = await b.locator("[data-testid=deals] tbody tr td:first-child a").evaluateAll((as) => as.map((x) => x.getAttribute("href") ?? ""));
  expect(bDeals).toHaveLength(1);
  expect(dealLinks).not.toContain(bDeals[0]);
  await b.screenshot({ path: path.join(artifacts, "deal-room-other-tenant.png"), fullPage: true });
  await b.context().close();
});

it("throttles guessed keys per client: past the limit a wrong key answers 429, and a right one still signs in", async () => {
  const attempt = (key: string) => fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ api_key: key }), redirect: "manual" });
  // The first test spent one failed sign-in already.
  const answers: number[] = [];
  for (let i = 0; i < FAILED_LOGINS; i += 1) answers.push((await attempt(`dgk_guess-${i}`)).status);
  expect(answers.slice(0, FAILED_LOGINS - 1).every((status) => status === 401)).toBe(true);
  expect(answers[answers.length - 1]).toBe(429);
  const right = await attempt(keys.A!);
  expect(right.status).toBe(303);
  expect(right.headers.get("set-cookie")).toMatch(/dealgraph_key=.+HttpOnly.*SameSite=Strict/i);
});
