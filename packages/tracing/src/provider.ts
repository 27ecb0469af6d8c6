// The OpenTelemetry SDK side of tracing.ts, loaded only by a process that traces (or a test that
// gives an exporter): the provider, its span processor, the OTLP/HTTP exporter.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Tracing, TracingOptions } from './types';

let contextManager: AsyncLocalStorageContextManager | undefined;

/**
 * The process's context manager (AsyncLocalStorage), registered once: the active span follows
 * awaits and callbacks. Only a process that traces registers it; without it the API's active
 * context is always the root one, at no cost.
 */
function ensureContextManager(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

/** A service's tracing, on: to `options.exporter` synchronously, else over OTLP/HTTP to `url`. */
export function startTracing(options: TracingOptions, url: string | undefined): Tracing {
  ensureContextManager();
  const processor: SpanProcessor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: url!, timeoutMillis: 5000 }), {
        maxQueueSize: 2048,
        scheduledDelayMillis: 1000,
        exportTimeoutMillis: 5000,
      });
  const ratio = options.env.OTEL_TRACES_SAMPLER_ARG ?? 1;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [processor],
  });
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    tracer: provider.getTracer('crm'),
    shutdown(timeoutMs = 2000) {
      stopped ??= within(provider.shutdown(), timeoutMs);
      return stopped;
    },
  };
}

export const memoryExporter = (): InMemorySpanExporter => new InMemorySpanExporter();

/** Resolves when the promise settles or after ms, whichever comes first; never rejects. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
