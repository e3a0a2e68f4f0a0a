import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { continueTrace, inSpan, traceCarrier, activeTraceIds } from "./spans";
import { startTracing, type Tracing } from "./tracing";

const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(() => {
  tracing = startTracing({ serviceName: "test", otlpEndpoint: null, exporter });
});
afterAll(() => tracing.shutdown());
beforeEach(() => exporter.reset());

describe("spans", () => {
  it("nests the spans started inside a span, and carries the trace to another process through a carrier", async () => {
    let carrier: Record<string, string> = {};
    await inSpan("POST /v1/envelopes", {}, async () => {
      carrier = traceCarrier();
    });
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await continueTrace(carrier, "deals process envelope", { tenant_id: "t" }, () => inSpan("neo4j write", {}, async () => activeTraceIds()));

    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((span) => [span.name, span]));
    const api = byName.get("POST /v1/envelopes")!;
    const worker = byName.get("deals process envelope")!;
    const write = byName.get("neo4j write")!;
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(worker.parentSpanContext?.spanId).toBe(api.spanContext().spanId);
    expect(write.parentSpanContext?.spanId).toBe(worker.spanContext().spanId);
    expect(worker.attributes).toMatchObject({ tenant_id: "t" });
  });

  it("marks a failed span with the error, and rethrows it", async () => {
    await expect(inSpan("llm extract_deals", {}, () => Promise.reject(new Error("model down")))).rejects.toThrow("model down");
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toMatchObject({ code: 2, message: "model down" });
    expect(span?.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("starts a new trace without a carrier, and logs carry the active span's ids", async () => {
    const ids = await continueTrace(undefined, "reproject", {}, async () => activeTraceIds());
    expect(ids).toEqual({ trace_id: expect.stringMatching(/^[0-9a-f]{32}$/), span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(activeTraceIds()).toEqual({});
  });
});
