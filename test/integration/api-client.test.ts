import { randomUUID } from "node:crypto";
import { DealgraphApiError, DealgraphClient } from "@dealgraph/client";
import type { Config } from "@dealgraph/config";
import { pipelineQueues } from "@dealgraph/queues";
import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import { Queue } from "bullmq";
import type { Kysely } from "kysely";
import { freePort } from "../support/free-port";
import { deleteTenantData } from "../support/pipelines";
import { startApp, type RunningApp } from "../support/processes";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * `@dealgraph/client` against the api process, as a producer outside this repository uses it:
 * every answer passes the api's own schemas, every refusal arrives as a typed error with the
 * api's code and field paths, and a key sees only its own tenant.
 */

const base = testConfig();
const config: Config = { ...base, redis: { ...base.redis, queuePrefix: `{dealgraph-test-${randomUUID().slice(0, 8)}}` } };
let db: Kysely<Database>;
let queues: Queue[];
let api: RunningApp;
let baseUrl = "";
const tenant = freshTenantId();
const otherTenant = freshTenantId();
let client: DealgraphClient;
let otherClient: DealgraphClient;

const envelope = (overrides: Record<string, unknown> = {}) => ({
  schema_version: "v1" as const,
  tenant_id: tenant,
  account_id: "acct-client",
  interaction_type: "transcript" as const,
  content: { text: "Ada Park (Vendor): I'll send the security questionnaire to Lee by Thursday.", format: "diarized" as const },
  timestamp: "2026-05-04T10:00:00Z",
  source: "api" as const,
  ...overrides,
});

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "api-client-test" });
  const connection = { url: config.redis.url };
  queues = ["action_items", "deals"].map((name) => new Queue(pipelineQueues(name).queue, { connection, prefix: config.redis.queuePrefix }));
  const apiKeys = new ApiKeys(db);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  client = new DealgraphClient({ baseUrl, apiKey: (await apiKeys.create(tenant, "client test")).key });
  otherClient = new DealgraphClient({ baseUrl, apiKey: (await apiKeys.create(otherTenant, "client test, other tenant")).key });
  api = await startApp("api", { API_PORT: String(port), QUEUE_PREFIX: config.redis.queuePrefix, SWEEPER_INTERVAL_MS: "3600000" }, `${baseUrl}/healthz`);
});

afterAll(async () => {
  await api.stop();
  for (const queue of queues) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await deleteTenantData(config, [], [tenant, otherTenant]);
  await db.destroy();
});

it("knows the tenant its key acts for", async () => {
  expect(await client.tenantId()).toBe(tenant);
  expect(await otherClient.tenantId()).toBe(otherTenant);
});

it("posts an envelope, learns its jobs, and follows it; a second post is a duplicate", async () => {
  const accepted = await client.postEnvelope(envelope());
  expect(accepted.duplicate).toBe(false);
  expect(Object.keys(accepted.jobs).sort()).toEqual(["action_items", "deals"]);

  const status = await client.envelopeStatus(accepted.interaction_id);
  expect(status).toMatchObject({ interaction_id: accepted.interaction_id, account_id: "acct-client" });
  // No worker runs here: both pipelines still have it waiting.
  expect(Object.values(status!.pipelines).map((p) => p.state)).toEqual(["waiting", "waiting"]);

  const again = await client.postEnvelope(envelope({ interaction_id: accepted.interaction_id }));
  expect(again).toMatchObject({ interaction_id: accepted.interaction_id, duplicate: true });
});

it("posts an array, and answers each envelope's jobs in order", async () => {
  const ids = [randomUUID(), randomUUID()];
  const accepted = await client.postEnvelopes(ids.map((interaction_id) => envelope({ interaction_id })));
  expect(accepted.map((a) => a.interaction_id)).toEqual(ids);
});

it("refuses an invalid envelope with the api's code and the field's path, not retryable", async () => {
  const error = (await client.postEnvelope(envelope({ timestamp: "yesterday" })).catch((e: unknown) => e)) as DealgraphApiError;
  expect(error).toBeInstanceOf(DealgraphApiError);
  expect(error).toMatchObject({ status: 400, code: "VALIDATION_FAILED", retryable: false });
  expect(error.issues.map((issue) => issue.path)).toEqual(["timestamp"]);
});

it("refuses another tenant's envelope, and shows a key none of another tenant's interactions", async () => {
  const error = (await otherClient.postEnvelope(envelope()).catch((e: unknown) => e)) as DealgraphApiError;
  expect(error).toMatchObject({ status: 403, code: "FORBIDDEN" });
  const mine = await client.postEnvelope(envelope());
  expect(await otherClient.envelopeStatus(mine.interaction_id)).toBeNull();
  expect(await client.envelopeStatus(randomUUID())).toBeNull();
});

it("says a bad key is refused, and an api that does not answer is worth retrying", async () => {
  const refused = await new DealgraphClient({ baseUrl, apiKey: "dgk_not_a_key" }).tenantId().catch((e: unknown) => e);
  expect(refused).toMatchObject({ status: 401, code: "UNAUTHENTICATED", retryable: false });
  const port = await freePort();
  const gone = await new DealgraphClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "dgk_x", timeoutMs: 2000 }).tenantId().catch((e: unknown) => e);
  expect(gone).toMatchObject({ status: null, code: "UNREACHABLE", retryable: true });
});

it("serves its OpenAPI description and the docs page", async () => {
  const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  expect(document.openapi).toBe("3.1.0");
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/v1/envelopes", "/v1/envelopes/{interactionId}", "/v1/tenant"]));
  const docs = await fetch(`${baseUrl}/docs`, { redirect: "follow" });
  expect(docs.status).toBe(200);
  expect(await docs.text()).toContain("swagger");
});
