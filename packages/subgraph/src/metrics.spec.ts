import type { IncomingMessage } from 'node:http';
import { metricsAllowed, OperationLabels, ProcessMetrics } from './metrics';

const request = (remoteAddress: string, authorization?: string, headers: Record<string, string> = {}) =>
  ({
    headers: { ...headers, ...(authorization ? { authorization } : {}) },
    socket: { remoteAddress },
  }) as unknown as IncomingMessage;

describe('operation labels', () => {
  it('keeps well-formed names up to the bound, then counts the rest as "other"', () => {
    const labels = new OperationLabels(2);
    expect(labels.of('ClaimFile')).toBe('ClaimFile');
    expect(labels.of('Queue')).toBe('Queue');
    expect(labels.of('Third')).toBe('other');
    // a name already seen keeps its label after the bound is reached
    expect(labels.of('ClaimFile')).toBe('ClaimFile');
  });

  it('never turns a client-chosen string into a label', () => {
    const labels = new OperationLabels();
    expect(labels.of(undefined)).toBe('anonymous');
    expect(labels.of('a b')).toBe('other');
    expect(labels.of('x'.repeat(65))).toBe('other');
    expect(labels.of('0abc')).toBe('other');
  });
});

describe('who may read /metrics', () => {
  it('without a token: this machine only', () => {
    expect(metricsAllowed(request('127.0.0.1'), undefined)).toBe(true);
    expect(metricsAllowed(request('::ffff:127.0.0.1'), undefined)).toBe(true);
    expect(metricsAllowed(request('10.0.0.7'), undefined)).toBe(false);
  });

  it('without a token: not to a caller forwarded by a proxy on this machine', () => {
    const forwarded = request('127.0.0.1', undefined, { 'x-forwarded-for': '203.0.113.9' });
    expect(metricsAllowed(forwarded, undefined)).toBe(false);
    expect(metricsAllowed(request('127.0.0.1', undefined, { forwarded: 'for=203.0.113.9' }), undefined)).toBe(
      false,
    );
  });

  it('with a token: whoever presents it, from anywhere, and nobody else', () => {
    const token = 'scrape-token-0123456789';
    expect(metricsAllowed(request('10.0.0.7', `Bearer ${token}`), token)).toBe(true);
    expect(metricsAllowed(request('127.0.0.1'), token)).toBe(false);
    expect(metricsAllowed(request('10.0.0.7', `Bearer ${token}x`), token)).toBe(false);
    expect(metricsAllowed(request('10.0.0.7', token), token)).toBe(false);
  });
});

describe('process metrics', () => {
  it('labels every series with the service and exposes the request series', async () => {
    const metrics = new ProcessMetrics({ service: 'claims' });
    metrics.requests.inc({ operation: 'ClaimFile', type: 'query', outcome: 'ok' });
    metrics.duration.observe({ operation: 'ClaimFile', type: 'query' }, 0.012);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'crm_graphql_requests_total{operation="ClaimFile",type="query",outcome="ok",service="claims"} 1',
    );
    expect(text).toContain(
      'crm_graphql_request_duration_seconds_bucket{le="0.025",service="claims",operation="ClaimFile",type="query"} 1',
    );
    expect(text).toContain(
      'crm_graphql_request_duration_seconds_bucket{le="0.01",service="claims",operation="ClaimFile",type="query"} 0',
    );
  });
});
