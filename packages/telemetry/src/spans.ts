import { SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Span } from "@opentelemetry/api";

/*
 * The spans the fleet makes, through the OpenTelemetry API only: without a registered provider
 * (tracing off, the default) every call here is a no-op that costs next to nothing.
 */

const tracer = () => trace.getTracer("dealgraph");

/**
 * Runs `work` in a span named `name`: an error is recorded on the span and rethrown, and the
 * span ends either way. Spans started inside `work` are its children.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active trace as W3C `traceparent` (and `tracestate`) headers, to carry in a job; empty when there is none. */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs `work` in a span that continues the trace `carrier` came from: a job's producer (a
 * consumer span), or a caller's `traceparent` header (a server span); a new trace without one.
 */
export function continueTrace<T>(
  carrier: Record<string, string | string[] | undefined> | undefined,
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.CONSUMER,
): Promise<T> {
  const parent = propagation.extract(context.active(), carrier ?? {});
  return context.with(parent, () => inSpan(name, attributes, work, kind));
}

/** The active span's ids, for log lines; empty when no trace is being recorded. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export { SpanKind, type Attributes, type Span };
