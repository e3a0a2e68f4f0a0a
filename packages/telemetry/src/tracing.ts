import { context, propagation, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

export interface TracingOptions {
  /** The process's name in traces (`api`, `worker-deals`). */
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`); null: tracing stays off. */
  otlpEndpoint: string | null;
  /** Tests: where spans go instead, exported one by one as they end. */
  exporter?: SpanExporter;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Exports what is buffered and stops; call on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider for the process when an endpoint (or a test exporter) is given,
 * with W3C trace-context propagation and async-context tracking; otherwise leaves the API's
 * no-op tracer in place.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.otlpEndpoint && !options.exporter) return { enabled: false, shutdown: async () => undefined };
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpEndpoint! }), { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName, [ATTR_SERVICE_VERSION]: options.serviceVersion ?? "0.0.0" }),
    spanProcessors: [processor],
  });
  provider.register();
  return {
    enabled: true,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
