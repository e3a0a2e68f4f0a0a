export { SpanKind, activeTraceIds, continueTrace, inSpan, traceCarrier, type Attributes, type Span } from "./spans";
export { startTracing, type Tracing, type TracingOptions } from "./tracing";
