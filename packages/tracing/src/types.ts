// What a process's tracing is and how it is configured: shared by tracing.ts and the SDK side
// it loads on demand (provider.ts).
import type { Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The variables of every process's env schema that configure traces (docs/operations.md, Traces). */
export interface TracingEnv {
  /** the collector's base URL: traces go to <it>/v1/traces; unset (and the next one too) = off */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  /** the full URL of the traces endpoint, used as is (wins over OTEL_EXPORTER_OTLP_ENDPOINT) */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  /** the share of new traces recorded, 0 to 1; a call inside a trace follows its parent's choice */
  OTEL_TRACES_SAMPLER_ARG?: number | undefined;
}

export interface TracingOptions {
  /** the resource's service.name: gateway, claims... */
  serviceName: string;
  env: TracingEnv;
  /**
   * Tests: spans go to this exporter (an InMemorySpanExporter), synchronously, whatever the
   * environment says.
   */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** false: no provider, no exporter; callers skip every tracing step */
  readonly enabled: boolean;
  /** the service's tracer (a no-op one when disabled) */
  readonly tracer: Tracer;
  /** exports what is buffered and stops; resolves within timeoutMs whatever the collector does */
  shutdown(timeoutMs?: number): Promise<void>;
}
