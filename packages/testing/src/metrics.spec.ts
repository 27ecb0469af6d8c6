import { Counter, Histogram, Registry } from 'prom-client';
import { parseMetrics, samplesOf } from './metrics';

describe('parseMetrics (Prometheus text format)', () => {
  it("reads prom-client's exposition: labelled counters and histograms, default labels, escapes", async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'gateway' });
    const calls = new Histogram({
      name: 'calls_seconds',
      help: 'h',
      labelNames: ['subgraph', 'outcome'],
      buckets: [0.1, 1],
      registers: [registry],
    });
    calls.observe({ subgraph: 'claims', outcome: 'ok' }, 0.05);
    calls.observe({ subgraph: 'claims', outcome: 'ok' }, 0.5);
    calls.observe({ subgraph: 'identity', outcome: 'error' }, 2);
    const counter = new Counter({
      name: 'things_total',
      help: 'c',
      labelNames: ['what'],
      registers: [registry],
    });
    counter.inc({ what: 'a "quoted", comma\\ value' }, 3);

    const families = parseMetrics(await registry.metrics());
    expect(families.get('calls_seconds')?.type).toBe('HISTOGRAM');
    expect(samplesOf(families, 'calls_seconds', { subgraph: 'claims' })).toEqual([
      { labels: { service: 'gateway', subgraph: 'claims', outcome: 'ok' }, sum: 0.55, count: 2 },
    ]);
    expect(samplesOf(families, 'calls_seconds', { outcome: 'error' })[0]).toMatchObject({ count: 1, sum: 2 });
    expect(samplesOf(families, 'things_total')).toEqual([
      { labels: { service: 'gateway', what: 'a "quoted", comma\\ value' }, value: 3 },
    ]);
  });

  it('fails on a line it cannot read rather than skipping it', () => {
    expect(() => parseMetrics('# TYPE x gauge\nx{a="1" 2\n')).toThrow(/unreadable/);
    expect(() => parseMetrics('y 1\n')).toThrow(/without a TYPE/);
  });
});
