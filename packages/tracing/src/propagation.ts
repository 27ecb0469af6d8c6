// W3C trace context (traceparent, tracestate) in and out of the carriers this system uses:
// HTTP headers between the gateway and the subgraphs, and the headers an event travels with
// (written in the outbox row inside the producer's transaction, sent as Kafka headers by the
// relay later, read by the consumer).
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type * as Core from '@opentelemetry/core';
import type { Tracing } from './types';

// @opentelemetry/core is loaded when a trace context is first written or read (about 50 ms of a
// process's start otherwise, tracing being off by default), as tracing.ts loads the SDK
let w3c: Core.W3CTraceContextPropagator | undefined;
const propagator = (): Core.W3CTraceContextPropagator => {
  if (!w3c) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
    const core = require('@opentelemetry/core') as typeof Core;
    w3c = new core.W3CTraceContextPropagator();
  }
  return w3c;
};

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/** A flat header map: Kafka headers as the transports deliver them, the outbox's headers column. */
export type TraceHeaders = Record<string, string>;

const recordSetter: TextMapSetter<TraceHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** Node's incoming headers or a flat record: a repeated header counts by its first value. */
const headerGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return Array.isArray(value) ? value[0] : value;
  },
};

/**
 * The trace context of a span, or of the span active in a context, as headers ({ traceparent,
 * tracestate? }); empty when there is no span (nothing to propagate).
 */
export function traceHeadersOf(from: Context | Span = context.active()): TraceHeaders {
  const ctx = isSpan(from) ? trace.setSpan(ROOT_CONTEXT, from) : from;
  const headers: TraceHeaders = {};
  if (trace.getSpanContext(ctx)) propagator().inject(ctx, headers, recordSetter);
  return headers;
}

const isSpan = (v: Context | Span): v is Span => typeof (v as Partial<Span>).spanContext === 'function';

/** Writes the trace context of `ctx` through `set` (a request's headers). */
export function injectTraceContext(
  set: (name: string, value: string) => void,
  ctx: Context = context.active(),
): void {
  for (const [name, value] of Object.entries(traceHeadersOf(ctx))) set(name, value);
}

/**
 * The context a remote caller's headers describe (the root context when they carry no valid
 * traceparent: the span then starts a trace of its own).
 */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  if (headers[TRACEPARENT_HEADER] === undefined) return ROOT_CONTEXT;
  return propagator().extract(ROOT_CONTEXT, headers, headerGetter);
}

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** the parent (the active context unless given) */
  parent?: Context;
}

/**
 * Runs `fn` inside a new span of the tracing's tracer, made the active one (so spans started
 * and contexts captured inside are its children), and ends it. A thrown error marks the span
 * failed with its type and stable code only: messages can hold personal data.
 */
export async function inSpan<T>(
  tracing: Tracing,
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracing.tracer.startSpan(
    name,
    { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    markFailed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Marks a span failed with the error's type and code (never its message). */
export function markFailed(span: Span, err: unknown): void {
  const code =
    err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', code ?? (err instanceof Error ? err.constructor.name : 'unknown'));
}

/** The span active in the current context, if any (undefined when tracing is off). */
export const activeSpan = (): Span | undefined => trace.getActiveSpan();

export { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Span, type Context };
