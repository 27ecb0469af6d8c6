import { parse, type DocumentNode } from 'graphql';
import { BoundedCache } from './caches';
import { ProcessMetrics } from './metrics';

const doc = (i: number): DocumentNode => parse(`query Op${i} { a${i}: claims(first: ${i}) { totalCount } }`);
const weight = (d: DocumentNode) => Buffer.byteLength(JSON.stringify(d), 'utf8');

describe('BoundedCache', () => {
  it('never holds more than its bound, however many distinct values it is given, and keeps the recent ones', async () => {
    const cache = new BoundedCache<DocumentNode>('documents', 20 * weight(doc(100)));
    for (let i = 100; i < 1100; i += 1) await cache.set(`k${i}`, doc(i));
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(cache.bytes).toBeGreaterThan(cache.maxBytes / 2);
    expect(cache.entries).toBeLessThanOrEqual(20);
    expect(await cache.get('k100')).toBeUndefined();
    expect(await cache.get('k1099')).toEqual(doc(1099));
  });

  it('evicts the least recently read first', async () => {
    const cache = new BoundedCache<DocumentNode>('documents', 3 * weight(doc(100)) + 10);
    await cache.set('a', doc(100));
    await cache.set('b', doc(101));
    await cache.set('c', doc(102));
    await cache.get('a');
    await cache.set('d', doc(103));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('does not keep a value heavier than the whole bound', async () => {
    const cache = new BoundedCache<DocumentNode>('documents', 10);
    await cache.set('big', doc(1));
    expect(cache.entries).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('is measured on /metrics: bytes, bound and entries, per cache', async () => {
    const metrics = new ProcessMetrics({ service: 'unit' });
    const documents = new BoundedCache<DocumentNode>('documents', 1024 * 1024);
    const plans = new BoundedCache<object>('query_plans', 2048);
    metrics.watchCache(documents);
    metrics.watchCache(plans);
    await documents.set('x', doc(1));
    const text = await metrics.registry.metrics();
    expect(text).toContain(`crm_graphql_cache_bytes{cache="documents",service="unit"} ${weight(doc(1))}`);
    expect(text).toContain('crm_graphql_cache_limit_bytes{cache="query_plans",service="unit"} 2048');
    expect(text).toContain('crm_graphql_cache_entries{cache="documents",service="unit"} 1');
    expect(text).toContain('crm_graphql_cache_entries{cache="query_plans",service="unit"} 0');
  });
});
