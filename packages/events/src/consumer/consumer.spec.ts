// The restart policy, without I/O: a fake subscription reports lag, the watchdog is driven by
// an explicit clock. Lag > 0 and no progress = stalled and restarted; too many restarts in the
// window = failed, which the backbone reports as not live.
import { createLogger } from '@crm/logging';
import { type DataSource } from 'typeorm';
import { prefixedCatalog } from '../catalog';
import { BackboneMetrics } from '../metrics';
import { type Transport, type TransportSubscription } from '../transport/transport';
import { EventConsumer } from './consumer';

function fakeTransport(lag: () => number | undefined) {
  const restarts: string[] = [];
  const subscription: TransportSubscription = {
    crashes: 0,
    joined: true,
    lag: () => Promise.resolve(lag()),
    restart: (reason) => {
      restarts.push(reason);
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
  };
  const transport = {
    kind: 'memory',
    durable: false,
    provision: () => Promise.resolve(),
    send: () => Promise.resolve(),
    subscribe: () => Promise.resolve(subscription),
    close: () => Promise.resolve(),
  } as Transport;
  return { transport, restarts };
}

const catalog = prefixedCatalog('');
const consumerWith = (transport: Transport, lagOptions = {}) =>
  new EventConsumer(
    {
      consumer: 'unit',
      topics: ['crm.claims.events.v1'],
      handler: () => Promise.resolve(),
      stallTimeoutMs: 60_000,
      maxRestarts: 2,
      restartWindowMs: 600_000,
      watchdogIntervalMs: 3_600_000,
      ...lagOptions,
    },
    {} as DataSource,
    transport,
    catalog,
    createLogger({ service: 'unit', level: 'silent' }),
    new BackboneMetrics(),
  );

describe('consumer restart policy', () => {
  it('restarts a consumer with lag and no progress, then gives up and reports failed', async () => {
    const { transport, restarts } = fakeTransport(() => 42);
    const consumer = consumerWith(transport);
    await consumer.start();
    const t0 = Date.now();
    await consumer.checkProgress(t0 + 10_000);
    expect(consumer.health().status).toBe('running');

    await consumer.checkProgress(t0 + 61_000);
    expect(restarts).toHaveLength(1);
    expect(consumer.health()).toMatchObject({ status: 'stalled', lag: 42, restarts: 1 });

    // each restart resets the progress clock; it stalls again, and again
    await consumer.checkProgress(t0 + 122_000);
    expect(restarts).toHaveLength(2);
    await consumer.checkProgress(t0 + 183_000);
    expect(restarts).toHaveLength(2);
    expect(consumer.health().status).toBe('failed');
    await consumer.stop();
  });

  it('calls an idle consumer (lag 0) healthy however long nothing happens', async () => {
    const { transport, restarts } = fakeTransport(() => 0);
    const consumer = consumerWith(transport);
    await consumer.start();
    await consumer.checkProgress(Date.now() + 3_600_000);
    expect(restarts).toEqual([]);
    expect(consumer.health()).toMatchObject({ status: 'running', lag: 0 });
    await consumer.stop();
  });
});
