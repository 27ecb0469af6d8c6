export {
  activeContext,
  memoryExporter,
  setupTracing,
  tracesUrlOf,
  TRACING_OFF,
  type Tracing,
  type TracingEnv,
  type TracingOptions,
} from './tracing';
export {
  activeSpan,
  contextFromHeaders,
  injectTraceContext,
  inSpan,
  markFailed,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  traceHeadersOf,
  type Context,
  type Span,
  type SpanOptions,
  type TraceHeaders,
} from './propagation';
export type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
