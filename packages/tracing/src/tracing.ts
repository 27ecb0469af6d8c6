// OpenTelemetry traces, wired by hand at the few places that matter (no auto-instrumentation):
// one tracer provider per service (npm start runs five in one process, each names its own
// spans), exporting over OTLP/HTTP when an endpoint is configured, and off otherwise: callers
// test `tracing.enabled` before doing any tracing work, so an unconfigured process pays one
// boolean per request. The provider is never registered as the global one: libraries that
// trace through the global API (@apollo/gateway) stay silent, and only our spans exist.
import { context, trace, type Context } from '@opentelemetry/api';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type * as ProviderModule from './provider';
import type { Tracing, TracingEnv, TracingOptions } from './types';

export type { Tracing, TracingEnv, TracingOptions } from './types';

const noopTracer = trace.getTracer('crm-off');

/** Tracing off: the default of every process without an OTLP endpoint. */
export const TRACING_OFF: Tracing = {
  enabled: false,
  tracer: noopTracer,
  shutdown: () => Promise.resolve(),
};

/** Where traces go: the traces endpoint as given, or the base endpoint + /v1/traces (OTLP spec). */
export function tracesUrlOf(env: TracingEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

// The SDK (provider, processors, the OTLP exporter, semantic conventions) is loaded only by a
// process that traces: with it, loading this package took 160-230 ms of every process's start
// and of every test file (30-33 ms without), for a feature off by default. A type-only import
// above; the module itself on demand.
type Provider = typeof ProviderModule;
let provider: Provider | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
const sdk = (): Provider => (provider ??= require('./provider') as Provider);

/** A service's tracing: off unless an OTLP endpoint is configured (or a test gives an exporter). */
export function setupTracing(options: TracingOptions): Tracing {
  const url = tracesUrlOf(options.env);
  if (!url && !options.exporter) return TRACING_OFF;
  return sdk().startTracing(options, url);
}

/** Tests: an exporter that keeps the spans in memory (loads the SDK). */
export const memoryExporter = (): InMemorySpanExporter => sdk().memoryExporter();

/** The active context (re-exported so callers need not import the API for it). */
export const activeContext = (): Context => context.active();
