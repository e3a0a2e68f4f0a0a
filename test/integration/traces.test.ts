import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { TestFleet, accountEnvelope, pricingCall } from "../support/fleet";
import { deleteTenantData } from "../support/pipelines";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * One envelope's trace, across the real processes: the api and both workers export to an OTLP
 * receiver this test runs, and the spans form one trace per envelope: the api's request, then in
 * each worker the envelope's processing with its graph, Postgres and model calls beneath it.
 */

jest.setTimeout(120_000);

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: { stringValue?: string } }>;
}
interface Received extends OtlpSpan {
  service: string;
}

const received: Received[] = [];
let collector: Server;
const config = testConfig();
let fleet: TestFleet;
let db: Kysely<Database>;
const tenantId = freshTenantId();

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const resource of body.resourceSpans) {
        const service = resource.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "";
        for (const scope of resource.scopeSpans) for (const span of scope.spans) received.push({ ...span, service });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  fleet = new TestFleet(config, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, LOG_LEVEL: "info" });
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "traces-test" });
  await fleet.startApi();
  await Promise.all([fleet.startWorker("deals"), fleet.startWorker("action_items")]);
});

afterAll(async () => {
  await fleet.stop();
  collector.close();
  await deleteTenantData(config, [], [tenantId]);
  await db.destroy();
});

it("follows one envelope from the api through the queue into both workers, their graphs, Postgres and model calls", async () => {
  const key = (await new ApiKeys(db).create(tenantId, "traces test")).key;
  const sent = accountEnvelope(tenantId, "acct-traced", Date.parse("2026-07-01T10:00:00Z"), pricingCall(64_000));
  expect((await fleet.post(sent, key)).status).toBe(202);
  await fleet.settled(db, tenantId, 1);

  const api = () =>
    received.find((span) => span.name === "POST /v1/envelopes" && span.attributes?.some((a) => a.key === "tenant_id" && a.value.stringValue === tenantId));
  const deadline = Date.now() + 20_000;
  const complete = () => {
    const root = api();
    if (!root) return false;
    const names = new Set(received.filter((span) => span.traceId === root.traceId).map((span) => span.name));
    return ["deals process envelope", "action_items process envelope", "postgres projection", "llm extract_deals", "llm extract_action_items"].every((name) =>
      names.has(name),
    );
  };
  while (!complete() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));

  const root = api();
  expect(root?.service).toBe("dealgraph-api");
  const trace = received.filter((span) => span.traceId === root!.traceId);
  const named = (name: string) => trace.filter((span) => span.name === name);
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  /** The names of a span's ancestors, nearest first. */
  const ancestry = (span: OtlpSpan): string[] => {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    return parent ? [parent.name, ...ancestry(parent)] : [];
  };

  for (const pipeline of ["deals", "action_items"]) {
    const [work] = named(`${pipeline} process envelope`);
    expect({ pipeline, service: work?.service, parent: work?.parentSpanId }).toEqual({
      pipeline,
      service: `dealgraph-worker-${pipeline.replace("_", "-")}`,
      parent: root!.spanId,
    });
  }
  const underWorker = (name: string, pipeline: string) =>
    named(name).some((span) => ancestry(span).includes(`${pipeline} process envelope`) && ancestry(span).at(-1) === "POST /v1/envelopes");
  expect(underWorker("llm extract_deals", "deals")).toBe(true);
  expect(underWorker("llm extract_action_items", "action_items")).toBe(true);
  expect(underWorker("llm embed", "deals")).toBe(true);
  expect(underWorker("neo4j write", "deals")).toBe(true);
  expect(underWorker("neo4j read", "action_items")).toBe(true);
  expect(underWorker("postgres projection", "deals")).toBe(true);
  expect(underWorker("postgres projection", "action_items")).toBe(true);
  // The workers' log lines of the job carry the trace's id.
  const dealsWorker = fleet.apps.find((app) => app.name === "worker:deals");
  expect(dealsWorker?.output()).toContain(`"trace_id":"${root!.traceId}"`);
  // One trace per envelope: nothing of another trace claims this envelope's spans' parents.
  expect(trace.every((span) => !span.parentSpanId || byId.has(span.parentSpanId))).toBe(true);
});
