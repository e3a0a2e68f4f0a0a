import { randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { Config } from "@dealgraph/config";
import { pipelineQueues } from "@dealgraph/queues";
import { ApiKeys, createDatabase, withTenant, type Database } from "@dealgraph/store";
import { Queue } from "bullmq";
import type { Kysely } from "kysely";
import { freePort } from "../support/free-port";
import { deleteTenantData } from "../support/pipelines";
import { startApp, type RunningApp } from "../support/processes";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * The api as its own process against the real Postgres and Redis (a queue prefix of its own): every
 * bad request gets its documented status and field path and enqueues nothing; a good one is
 * stored once and enqueued once, however often it is posted.
 */

const base = testConfig();
const config: Config = { ...base, redis: { ...base.redis, queuePrefix: `{dealgraph-test-${randomUUID().slice(0, 8)}}` } };
let db: Kysely<Database>;
let queues: Record<"action_items" | "deals", Queue>;
let api: RunningApp;
let baseUrl = "";
const tenant = freshTenantId();
const otherTenant = freshTenantId();
let key = "";
let otherKey = "";

const nested = (levels: number): Record<string, unknown> => (levels <= 1 ? { leaf: true } : { level: nested(levels - 1) });

const envelope = (overrides: Record<string, unknown> = {}) => ({
  schema_version: "v1",
  tenant_id: tenant,
  account_id: "acct-api",
  interaction_id: randomUUID(),
  interaction_type: "transcript",
  content: { text: "Ada Park (Vendor): I'll send the pricing sheet to your team by Friday, as discussed.", format: "diarized" },
  timestamp: "2026-05-04T10:00:00Z",
  source: "api",
  ...overrides,
});

interface Answer {
  statusCode: number;
  json<T = unknown>(): T;
  body: string;
}

async function request(method: "GET" | "POST", url: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(`${baseUrl}${url}`, { method, headers: options.headers, body: options.body });
  const body = await response.text();
  return { statusCode: response.status, body, json: <T>() => JSON.parse(body) as T };
}

/**
 * Declares the whole body's length but sends only its start, and reads the answer: the api
 * refuses an oversize body by its Content-Length and closes the connection, so a client still
 * sending the rest could meet a closed socket (EPIPE) before it reads the 413.
 */
function postDeclaringLength(body: unknown, apiKey = key): Promise<Answer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = http.request(`${baseUrl}/v1/envelopes`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}`, "content-length": String(payload.length) },
    });
    outgoing.on("response", (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        outgoing.destroy();
        resolve({ statusCode: response.statusCode ?? 0, body: text, json: <T>() => JSON.parse(text) as T });
      });
    });
    outgoing.on("error", (error) => {
      if (!answered) reject(error);
    });
    outgoing.write(payload.subarray(0, 64 * 1024));
  });
}

async function post(body: unknown, headers: Record<string, string> = {}) {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  return request("POST", "/v1/envelopes", {
    body: payload,
    headers: Object.fromEntries(Object.entries({ "content-type": "application/json", authorization: `Bearer ${key}`, ...headers }).filter(([, v]) => v !== "")),
  });
}

/** Writes raw bytes to the api (then a space at each interval, if given) and reads everything it answers until it closes the connection. */
function rawExchange(url: string, bytes: string, trickleEveryMs?: number): Promise<string> {
  const { port } = new URL(url);
  return new Promise<string>((resolve, reject) => {
    let trickle: NodeJS.Timeout | undefined;
    const socket = net.connect(Number(port), "127.0.0.1", () => {
      socket.write(bytes);
      if (trickleEveryMs !== undefined) trickle = setInterval(() => socket.writable && socket.write(" "), trickleEveryMs);
    });
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("utf8")));
    socket.on("close", () => {
      clearInterval(trickle);
      resolve(text);
    });
    socket.on("error", (error) => {
      clearInterval(trickle);
      if (text.length === 0) reject(error);
    });
  });
}

const get = (url: string, apiKey: string | null = key) => request("GET", url, { headers: apiKey === null ? {} : { authorization: `Bearer ${apiKey}` } });

async function queued(): Promise<number> {
  const counts = await Promise.all(Object.values(queues).map((q) => q.getJobCounts("waiting", "delayed", "active")));
  return counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
}

async function inboxRows(tenantId: string): Promise<number> {
  const rows = await withTenant(db, tenantId, (trx) => trx.selectFrom("inbox").select("interaction_id").execute());
  return rows.length;
}

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "api-test" });
  const connection = { url: config.redis.url };
  queues = {
    action_items: new Queue(pipelineQueues("action_items").queue, { connection, prefix: config.redis.queuePrefix }),
    deals: new Queue(pipelineQueues("deals").queue, { connection, prefix: config.redis.queuePrefix }),
  };
  const apiKeys = new ApiKeys(db);
  key = (await apiKeys.create(tenant, "api test")).key;
  otherKey = (await apiKeys.create(otherTenant, "api test, other tenant")).key;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  api = await startApp("api", { API_PORT: String(port), QUEUE_PREFIX: config.redis.queuePrefix, SWEEPER_INTERVAL_MS: "3600000" }, `${baseUrl}/healthz`);
});

afterAll(async () => {
  await api.stop();
  await Promise.all(
    Object.values(queues).map(async (q) => {
      await q.obliterate({ force: true });
      await q.close();
    }),
  );
  await deleteTenantData(config, [], [tenant, otherTenant]);
  await db.destroy();
});

describe("POST /v1/envelopes with bad input", () => {
  const big = "x".repeat(262_145);
  it.each([
    ["no key", () => post(envelope(), { authorization: "" }), 401, "UNAUTHENTICATED", null],
    ["an unknown key", () => post(envelope(), { authorization: "Bearer dgk_nope" }), 401, "UNAUTHENTICATED", null],
    ["a missing tenant_id", () => post(envelope({ tenant_id: undefined })), 400, "VALIDATION_FAILED", "tenant_id"],
    ["text of the wrong type", () => post(envelope({ content: { text: 42, format: "plain" } })), 400, "VALIDATION_FAILED", "content.text"],
    ["a bad interaction UUID", () => post(envelope({ interaction_id: "not-a-uuid" })), 400, "VALIDATION_FAILED", "interaction_id"],
    ["an opportunity id that is not v7", () => post(envelope({ opportunity_id: randomUUID() })), 400, "VALIDATION_FAILED", "opportunity_id"],
    ["a timestamp without a zone", () => post(envelope({ timestamp: "2026-05-04T10:00:00" })), 400, "VALIDATION_FAILED", "timestamp"],
    ["an unknown interaction type", () => post(envelope({ interaction_type: "fax" })), 400, "VALIDATION_FAILED", "interaction_type"],
    ["an unknown field", () => post(envelope({ priority: "high" })), 400, "VALIDATION_FAILED", "priority"],
    ["oversize text", () => post(envelope({ content: { text: big, format: "plain" } })), 400, "VALIDATION_FAILED", "content.text"],
    ["oversize extras", () => post(envelope({ extras: { blob: "y".repeat(20_000) } })), 400, "VALIDATION_FAILED", "extras"],
    // JSON carries these; Postgres' jsonb would refuse them when the inbox stores the envelope.
    [
      "a NUL character in the text",
      () => post(envelope({ content: { text: "Ada: the pricing sheet by Friday\u0000", format: "plain" } })),
      400,
      "VALIDATION_FAILED",
      "content.text",
    ],
    ["an unpaired surrogate in extras", () => post(envelope({ extras: { note: "half a pair \ud83d" } })), 400, "VALIDATION_FAILED", "extras"],
    ["a body over the limit", () => postDeclaringLength(envelope({ content: { text: "z".repeat(3_000_000), format: "plain" } })), 413, "BODY_TOO_LARGE", null],
    ["a non-JSON content type", () => post("hello", { "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE", null],
    ["an empty body", () => post(""), 400, "EMPTY_BODY", null],
    ["broken JSON", () => post('{"schema_version": "v1",'), 400, "INVALID_JSON", null],
    ["another tenant's id", () => post(envelope({ tenant_id: otherTenant })), 403, "FORBIDDEN", "tenant_id"],
    ["an array with one bad envelope", () => post([envelope(), envelope({ timestamp: "yesterday" })]), 400, "VALIDATION_FAILED", "1.timestamp"],
    ["an empty array", () => post([]), 400, "VALIDATION_FAILED", "(root)"],
    ["an array over the limit", () => post(Array.from({ length: 501 }, () => envelope())), 400, "VALIDATION_FAILED", "(root)"],
    ["an array with another tenant's envelope", () => post([envelope(), envelope({ tenant_id: otherTenant })]), 403, "FORBIDDEN", "1.tenant_id"],
    // Accepted by an ISO-8601 check, but not storable or not plausible.
    ["a timestamp in year 0000", () => post(envelope({ timestamp: "0000-01-01T00:00:00Z" })), 400, "VALIDATION_FAILED", "timestamp"],
    ["a zone offset of +23:59", () => post(envelope({ timestamp: "2026-05-04T10:00:00+23:59" })), 400, "VALIDATION_FAILED", "timestamp"],
    ["a zone offset of +20:00", () => post(envelope({ timestamp: "2026-05-04T10:00:00+20:00" })), 400, "VALIDATION_FAILED", "timestamp"],
    [
      "extras nested 5,000 levels deep",
      () => post(`{"schema_version":"v1","extras":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`),
      400,
      "VALIDATION_FAILED",
      null,
    ],
    ["extras nested 33 levels deep", () => post(envelope({ extras: nested(33) })), 400, "VALIDATION_FAILED", "extras"],
    [
      "extras with 5,000 keys",
      () => post(envelope({ extras: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1])) })),
      400,
      "VALIDATION_FAILED",
      "extras",
    ],
    [
      "an array whose second element holds 100,000 keys of extras",
      () => post([envelope(), envelope({ extras: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 1])) })]),
      400,
      "VALIDATION_FAILED",
      "1.extras",
    ],
    ["an id longer than any route takes", () => get(`/v1/envelopes/${"a".repeat(5_000)}`), 414, "URI_TOO_LONG", null],
    [
      "an array with one element in year 0000",
      () => post([envelope(), envelope({ timestamp: "0000-01-01T00:00:00Z" })]),
      400,
      "VALIDATION_FAILED",
      "1.timestamp",
    ],
    ["a bidirectional override in account_id", () => post(envelope({ account_id: "acct-\u202Eevil" })), 400, "VALIDATION_FAILED", "account_id"],
    ["a zero-width space in account_id", () => post(envelope({ account_id: "acct\u200B-api" })), 400, "VALIDATION_FAILED", "account_id"],
    ["a body declared latin1", () => post(envelope(), { "content-type": "application/json; charset=latin1" }), 415, "UNSUPPORTED_MEDIA_TYPE", null],
    ["a gzip-encoded body", () => post(envelope(), { "content-encoding": "gzip" }), 415, "UNSUPPORTED_MEDIA_TYPE", null],
    [
      "a bad key with a body over the limit",
      () => postDeclaringLength(envelope({ content: { text: "z".repeat(3_000_000), format: "plain" } }), "dgk_nope"),
      401,
      "UNAUTHENTICATED",
      null,
    ],
  ] as const)("refuses %s", async (_what, send, status, code, path) => {
    const response = await send();
    expect(response.statusCode).toBe(status);
    const body = response.json<{ error: { code: string; message: string; issues?: Array<{ path: string }> } }>();
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    if (path !== null) expect(body.error.issues?.map((i) => i.path)).toContain(path);
  });

  it("answers malformed HTTP in the api's error shape", async () => {
    const answer = await rawExchange(baseUrl, "GET /v1/tenant HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({ error: { code: "BAD_REQUEST", message: expect.any(String) } });
  });

  it("answers a request line over Node's header limit in the api's error shape", async () => {
    const answer = await rawExchange(baseUrl, `GET /v1/envelopes/${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({ error: { code: "BAD_REQUEST", message: expect.any(String) } });
  });

  it("answers a body that trickles in past the request timeout with 408 and closes the connection", async () => {
    const port = await freePort();
    const slowUrl = `http://127.0.0.1:${port}`;
    const slow = await startApp(
      "api",
      { API_PORT: String(port), QUEUE_PREFIX: config.redis.queuePrefix, SWEEPER_INTERVAL_MS: "3600000", API_REQUEST_TIMEOUT_MS: "1500" },
      `${slowUrl}/healthz`,
    );
    try {
      const started = Date.now();
      // A byte every 200 ms: never idle, never done.
      const head = `POST /v1/envelopes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"schema_version":`;
      const answer = await rawExchange(slowUrl, head, 200);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({ error: { code: "REQUEST_TIMEOUT", message: expect.any(String) } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    } finally {
      await slow.stop();
    }
  });

  it("enqueued and stored nothing for any of them", async () => {
    expect(await queued()).toBe(0);
    expect(await inboxRows(tenant)).toBe(0);
    expect(await inboxRows(otherTenant)).toBe(0);
  });
});

describe("POST and GET /v1/envelopes", () => {
  it("accepts an envelope once: a repeat answers the same ids and enqueues nothing new", async () => {
    const sent = envelope();
    const first = await post(sent);
    expect(first.statusCode).toBe(202);
    const accepted = first.json<{ interaction_id: string; duplicate: boolean; jobs: Record<string, string> }>();
    expect(accepted).toEqual({
      interaction_id: sent.interaction_id,
      duplicate: false,
      jobs: { action_items: `${tenant}.${sent.interaction_id}`, deals: `${tenant}.${sent.interaction_id}` },
    });
    expect(await queued()).toBe(2);
    const again = await post(sent);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ ...accepted, duplicate: true });
    expect(await queued()).toBe(2);
    expect(await inboxRows(tenant)).toBe(1);
  });

  it("refuses a re-post of an interaction_id with other content with 409 naming the fields, keeping the original", async () => {
    const sent = envelope();
    expect((await post(sent)).statusCode).toBe(202);
    const before = await queued();
    const corrected = {
      ...sent,
      content: { ...sent.content, text: "Ada Park (Vendor): I'll send the revised pricing sheet by Monday instead." },
      timestamp: "2026-05-05T10:00:00Z",
    };
    const refused = await post(corrected);
    expect(refused.statusCode).toBe(409);
    const body = refused.json<{ error: { code: string; issues: Array<{ path: string }> } }>();
    expect(body.error.code).toBe("CONFLICT");
    expect(body.error.issues.map((i) => i.path).sort()).toEqual(["content.text", "timestamp"]);
    const stored = await withTenant(db, tenant, (trx) =>
      trx.selectFrom("inbox").select("envelope").where("interaction_id", "=", sent.interaction_id).executeTakeFirstOrThrow(),
    );
    expect(stored.envelope).toMatchObject({ content: sent.content, timestamp: sent.timestamp });
    expect(await queued()).toBe(before);
  });

  it("takes the same content spelt differently (key order, the instant's zone) for a repeat", async () => {
    const sent = envelope();
    expect((await post(sent)).statusCode).toBe(202);
    const respelt = Object.fromEntries(Object.entries({ ...sent, timestamp: "2026-05-04T12:00:00+02:00" }).reverse());
    const again = await post(respelt);
    expect(again.statusCode).toBe(202);
    expect(again.json<{ duplicate: boolean }>().duplicate).toBe(true);
  });

  it("states each element's outcome when an array holds a conflicting re-post", async () => {
    const taken = envelope();
    expect((await post(taken)).statusCode).toBe(202);
    const fresh = envelope();
    const answer = await post([fresh, { ...taken, account_id: "acct-other" }]);
    expect(answer.statusCode).toBe(409);
    const body = answer.json<{ error: { code: string; issues: Array<{ path: string }> }; accepted: Array<Record<string, unknown>> }>();
    expect(body.error.issues.map((i) => i.path)).toEqual(["1.account_id"]);
    expect(body.accepted).toEqual([
      {
        index: 0,
        interaction_id: fresh.interaction_id,
        duplicate: false,
        jobs: { action_items: `${tenant}.${fresh.interaction_id}`, deals: `${tenant}.${fresh.interaction_id}` },
      },
      { index: 1, interaction_id: taken.interaction_id, conflict: true },
    ]);
    const stored = await withTenant(db, tenant, (trx) =>
      trx.selectFrom("inbox").select("account_id").where("interaction_id", "=", taken.interaction_id).executeTakeFirstOrThrow(),
    );
    expect(stored.account_id).toBe("acct-api");
  });

  it("accepts an array of envelopes in order, all of them once", async () => {
    const earlier = envelope();
    await post(earlier);
    const before = await queued();
    const fresh = envelope();
    const { interaction_id: _none, account_id: _noAccount, ...unnamed } = envelope();
    const response = await post([fresh, earlier, unnamed, fresh]);
    expect(response.statusCode).toBe(202);
    const { accepted } = response.json<{ accepted: Array<{ interaction_id: string; duplicate: boolean; jobs: Record<string, string | null> }> }>();
    expect(accepted.map((a) => a.duplicate)).toEqual([false, true, false, true]);
    expect([accepted[0]?.interaction_id, accepted[1]?.interaction_id, accepted[3]?.interaction_id]).toEqual([
      fresh.interaction_id,
      earlier.interaction_id,
      fresh.interaction_id,
    ]);
    expect(accepted[2]?.jobs.deals).toBeNull();
    // Two new envelopes: two jobs for the one with an account, one for the one without.
    expect(await queued()).toBe(before + 3);
    const stored = await withTenant(db, tenant, (trx) =>
      trx
        .selectFrom("inbox")
        .select("interaction_id")
        .where(
          "interaction_id",
          "in",
          accepted.map((a) => a.interaction_id),
        )
        .execute(),
    );
    expect(stored).toHaveLength(3);
  });

  it("answers concurrent posts each with its own envelope's ids, storing and enqueuing each envelope once", async () => {
    const before = await queued();
    const distinct = Array.from({ length: 40 }, () => envelope());
    // Ten envelopes are posted twice at once: whichever lands first creates it, the other is told it is a repeat.
    const sends = [...distinct, ...distinct.slice(0, 10)];
    const answers = await Promise.all(sends.map((sent) => post(sent)));
    expect(answers.map((a) => a.statusCode)).toEqual(sends.map(() => 202));
    const bodies = answers.map((a) => a.json<{ interaction_id: string; duplicate: boolean }>());
    expect(bodies.map((b) => b.interaction_id)).toEqual(sends.map((sent) => sent.interaction_id));
    for (const sent of distinct.slice(0, 10)) {
      const fresh = bodies.filter((b) => b.interaction_id === sent.interaction_id).map((b) => b.duplicate);
      expect(fresh.sort()).toEqual([false, true]);
    }
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(distinct.length);
    expect(await queued()).toBe(before + 2 * distinct.length);
    const stored = await withTenant(db, tenant, (trx) =>
      trx
        .selectFrom("inbox")
        .select("interaction_id")
        .where(
          "interaction_id",
          "in",
          distinct.map((d) => d.interaction_id),
        )
        .execute(),
    );
    expect(stored).toHaveLength(distinct.length);
  });

  it("stores an account id in one Unicode spelling", async () => {
    const sent = envelope({ account_id: "Cafe\u0301 Co" });
    expect((await post(sent)).statusCode).toBe(202);
    const stored = await withTenant(db, tenant, (trx) =>
      trx.selectFrom("inbox").select("account_id").where("interaction_id", "=", sent.interaction_id).executeTakeFirstOrThrow(),
    );
    expect(stored.account_id).toBe("Caf\u00e9 Co");
  });

  it("mints an interaction id when the envelope has none, and skips the deal pipeline without an account", async () => {
    const { interaction_id: _none, account_id: _noAccount, ...rest } = envelope();
    const response = await post(rest);
    expect(response.statusCode).toBe(202);
    const body = response.json<{ interaction_id: string; jobs: Record<string, string | null> }>();
    expect(body.interaction_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.jobs.deals).toBeNull();
    const status = await get(`/v1/envelopes/${body.interaction_id}`);
    expect(status.json<{ pipelines: Record<string, { state: string }> }>().pipelines).toMatchObject({
      action_items: { state: "waiting" },
      deals: { state: "skipped" },
    });
  });

  it("reports an envelope to its own tenant only", async () => {
    const sent = envelope();
    await post(sent);
    expect((await get(`/v1/envelopes/${sent.interaction_id}`)).statusCode).toBe(200);
    expect((await get(`/v1/envelopes/${sent.interaction_id}`, otherKey)).statusCode).toBe(404);
    expect((await get(`/v1/envelopes/${randomUUID()}`)).statusCode).toBe(404);
    expect((await get("/v1/envelopes/nope")).statusCode).toBe(404);
    expect((await get(`/v1/envelopes/${sent.interaction_id}`, null)).statusCode).toBe(401);
  });

  it("serves health, readiness and metrics", async () => {
    expect((await get("/healthz", null)).statusCode).toBe(200);
    expect((await get("/readyz", null)).statusCode).toBe(200);
    const metrics = await get("/metrics", null);
    expect(metrics.body).toContain("dealgraph_api_requests_total");
  });
});
