// The propagation helpers with an in-memory exporter: a span's context goes out as headers
// (HTTP, the outbox row's Kafka headers) and comes back as the parent of the next hop's span.
import {
  contextFromHeaders,
  memoryExporter,
  type InMemorySpanExporter,
  inSpan,
  setupTracing,
  SpanKind,
  traceHeadersOf,
  tracesUrlOf,
  TRACING_OFF,
  type Tracing,
} from './index';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('tracing setup', () => {
  it('is off without an OTLP endpoint', () => {
    expect(setupTracing({ serviceName: 'unit', env: {} })).toBe(TRACING_OFF);
    expect(TRACING_OFF.enabled).toBe(false);
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(tracesUrlOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      tracesUrlOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:9999/traces',
      }),
    ).toBe('http://other:9999/traces');
    expect(tracesUrlOf({})).toBeUndefined();
  });

  it('records no new trace at ratio 0, and still follows a sampled parent', async () => {
    const exporter = memoryExporter();
    const tracing = setupTracing({ serviceName: 'unit', env: { OTEL_TRACES_SAMPLER_ARG: 0 }, exporter });
    await inSpan(tracing, 'root', { kind: SpanKind.SERVER }, () => Promise.resolve());
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    const parent = contextFromHeaders({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` });
    await inSpan(tracing, 'child', { kind: SpanKind.SERVER, parent }, () => Promise.resolve());
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['child']);
    await tracing.shutdown();
  });
});

describe('trace context propagation', () => {
  let exporter: InMemorySpanExporter;
  let gateway: Tracing;
  let subgraph: Tracing;

  beforeEach(() => {
    exporter = memoryExporter();
    gateway = setupTracing({ serviceName: 'gateway', env: {}, exporter });
    subgraph = setupTracing({ serviceName: 'claims', env: {}, exporter });
  });

  it('carries a span context through headers to the next hop, as its parent', async () => {
    let headers: Record<string, string> = {};
    await inSpan(gateway, 'subgraph claims', { kind: SpanKind.CLIENT }, (span) => {
      headers = traceHeadersOf();
      expect(traceHeadersOf(span)).toEqual(headers);
      return Promise.resolve();
    });
    const [, traceId, spanId] = TRACEPARENT.exec(headers.traceparent ?? '') ?? [];
    expect(traceId).toBeDefined();

    await inSpan(
      subgraph,
      'graphql ClaimsPage',
      { kind: SpanKind.SERVER, parent: contextFromHeaders(headers) },
      () => Promise.resolve(),
    );
    const [client, server] = exporter.getFinishedSpans();
    expect(client!.spanContext()).toMatchObject({ traceId, spanId });
    expect(server!.spanContext().traceId).toBe(traceId);
    expect(server!.parentSpanContext?.spanId).toBe(spanId);
    expect(server!.resource.attributes['service.name']).toBe('claims');
  });

  it('keeps the active span across awaits (AsyncLocalStorage)', async () => {
    await inSpan(gateway, 'outer', { kind: SpanKind.SERVER }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      await inSpan(gateway, 'inner', { kind: SpanKind.INTERNAL }, () => Promise.resolve());
    });
    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
  });

  it('starts a trace of its own from missing or malformed headers', async () => {
    for (const headers of [{}, { traceparent: 'not-a-traceparent' }, { traceparent: ['00-zz'] }]) {
      await inSpan(subgraph, 'graphql', { kind: SpanKind.SERVER, parent: contextFromHeaders(headers) }, () =>
        Promise.resolve(),
      );
    }
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(3);
    for (const s of spans) expect(s.parentSpanContext).toBeUndefined();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(3);
  });

  it('writes nothing when no span is active', () => {
    expect(traceHeadersOf()).toEqual({});
  });

  it('marks a failed span with the error code, never its message', async () => {
    const failure = Object.assign(new Error('Camille Dupont introuvable'), { code: 'CLAIM.NOT_FOUND' });
    await expect(
      inSpan(subgraph, 'graphql', { kind: SpanKind.SERVER }, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span!.status.code).toBe(2);
    expect(span!.attributes['error.type']).toBe('CLAIM.NOT_FOUND');
    expect(JSON.stringify(span!.attributes)).not.toContain('Dupont');
    expect(span!.events).toEqual([]);
  });
});
