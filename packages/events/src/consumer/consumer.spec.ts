// The restart policy, without I/O: a fake subscription reports lag, the watchdog is driven by
// an explicit clock. Lag > 0 and no progress = stalled and restarted; too many restarts in the
// window = failed, which the backbone reports as not live. Then which records a consumer reads.
import { createLogger } from '@crm/logging';
import { type DataSource } from 'typeorm';
import { prefixedCatalog, topicSpec } from '../catalog';
import { BackboneMetrics } from '../metrics';
import {
  type ConsumeOptions,
  type DeliveredMessage,
  type OutgoingRecord,
  type Transport,
  type TransportSubscription,
} from '../transport/transport';
import { EventConsumer } from './consumer';

function fakeTransport(lag: () => number | undefined, deletions: string[][] = []) {
  const restarts: string[] = [];
  const subscription: TransportSubscription = {
    crashes: 0,
    joined: true,
    lag: () => Promise.resolve(lag()),
    deleteConsumed: (topics) => {
      deletions.push([...topics]);
      return Promise.resolve(3);
    },
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

describe("deleting what the group consumed (the partners' clear messages)", () => {
  it('deletes, every deleteConsumedEveryMs, from the topics the catalog marks, and counts it', async () => {
    const deletions: string[][] = [];
    const { transport } = fakeTransport(() => 0, deletions);
    const metrics = new BackboneMetrics();
    const consumer = new EventConsumer(
      {
        consumer: 'partner-reader',
        topics: ['crm.partner.inbound.v1', 'crm.claims.events.v1'],
        handler: () => Promise.resolve(),
        watchdogIntervalMs: 3_600_000,
        deleteConsumedEveryMs: 30_000,
      },
      {} as DataSource,
      transport,
      catalog,
      createLogger({ service: 'unit', level: 'silent' }),
      metrics,
    );
    await consumer.start();
    const t0 = Date.now();
    await consumer.checkProgress(t0 + 10_000);
    expect(deletions).toEqual([]);
    await consumer.checkProgress(t0 + 31_000);
    // the partner topic only: our own events stay for every reader
    expect(deletions).toEqual([['crm.partner.inbound.v1']]);
    await consumer.checkProgress(t0 + 40_000);
    expect(deletions).toHaveLength(1);
    const counted = (await metrics.consumedDeleted.get()).values;
    expect(counted).toEqual([
      expect.objectContaining({
        labels: { consumer: 'partner-reader', topic: 'crm.partner.inbound.v1' },
        value: 3,
      }),
    ]);
    await consumer.stop();
  });

  it('deletes nothing for a consumer of our own events', async () => {
    const deletions: string[][] = [];
    const { transport } = fakeTransport(() => 0, deletions);
    const consumer = consumerWith(transport);
    await consumer.start();
    await consumer.checkProgress(Date.now() + 3_600_000);
    expect(deletions).toEqual([]);
    await consumer.stop();
  });
});

describe('records of types a consumer does not read', () => {
  it('skips them unread by their event-type header; decodes the rest, and dead-letters what does not decode', async () => {
    const topic = 'crm.conversation.events.v1';
    let handleBatch: ConsumeOptions['handleBatch'] | undefined;
    const sent: OutgoingRecord[] = [];
    const { transport: base } = fakeTransport(() => 0);
    const transport = {
      ...base,
      send: (records: OutgoingRecord[]) => {
        sent.push(...records);
        return Promise.resolve();
      },
      subscribe: (options: ConsumeOptions) => {
        handleBatch = options.handleBatch;
        return base.subscribe(options);
      },
    };
    const handled: string[] = [];
    const consumer = new EventConsumer(
      {
        consumer: 'unit.intake',
        topics: [topic],
        types: ['IntakeCompleted'],
        handler: (event) => {
          handled.push(event.id);
          return Promise.resolve();
        },
        watchdogIntervalMs: 3_600_000,
      },
      {} as DataSource,
      transport,
      catalog,
      createLogger({ service: 'unit', level: 'silent' }),
      new BackboneMetrics(),
    );
    await consumer.start();
    const record = (offset: string, headers: Record<string, string>): DeliveredMessage => ({
      topic,
      partition: 0,
      offset,
      key: 'one-key',
      value: Buffer.from('{ not an event'),
      headers,
    });
    await handleBatch!(
      [
        record('0', { 'event-type': 'MessageRecorded' }), // a type others read: skipped unread
        record('1', { 'event-type': 'IntakeCompleted' }), // its own type: decoded, and refused
        record('2', {}), // no header: decoded
        record('3', { 'event-type': 'NoSuchType' }), // a type no schema names: decoded
        record('4', { 'event-type': 'constructor' }), // not a type either, whatever objects inherit
      ],
      { heartbeat: () => Promise.resolve(), isRunning: () => true },
    );
    expect(sent.map((r) => [r.topic, r.headers?.['dlq-original-offset']])).toEqual(
      ['1', '2', '3', '4'].map((offset) => [topicSpec(topic, catalog)!.dlq.name, offset]),
    );
    expect(handled).toEqual([]);
    await consumer.stop();
  });
});
