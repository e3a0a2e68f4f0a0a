export { SpanKind, activeTraceIds, continueTrace, inSpan, traceCarrier } from "./spans";
export { startTracing, type Tracing, type TracingOptions } from "./tracing";
