// The broker stopped and restarted under a running relay and consumer, and a short chaos run
// through the real CLI (`npm run chaos`). Both use private brokers, never the shared one.
import { spawn } from 'node:child_process';
import { openDatabase } from '@crm/db';
import { createLogger } from '@crm/logging';
import { createTestDatabase, startPrivateBroker, waitFor } from '@crm/testing';
import { createEventBackbone } from '../backbone';
import { prefixedCatalog } from '../catalog';
import { EVENT_BACKBONE_MIGRATIONS } from '../outbox/migrations';
import { KafkaTransport } from '../transport/kafka.transport';
import {
  CreateChaosReadModel1763700000002,
  CreateChaosSource1763700000001,
  applyProbe,
  writeOrder,
} from './model';
import { REPO_ROOT } from './processes';
import { type ChaosResult } from './scenario';

jest.setTimeout(240_000);
const logger = createLogger({ service: 'events-chaos', level: 'silent' });

describe('broker restart and chaos (private brokers)', () => {
  it('survives the broker being stopped and restarted: pending rows wait, then everything is applied once', async () => {
    const broker = await startPrivateBroker();
    const db = await createTestDatabase('ev_broker');
    const ds = await openDatabase({
      url: db.url,
      applicationName: 'broker-restart',
      migrations: [
        ...EVENT_BACKBONE_MIGRATIONS,
        CreateChaosSource1763700000001,
        CreateChaosReadModel1763700000002,
      ],
    });
    const transport = new KafkaTransport({
      brokers: broker.brokers,
      clientId: 'broker-restart',
      logger,
      sessionTimeoutMs: 6000,
    });
    const topic = prefixedCatalog('').topics.find((t) => t.domain === 'diagnostic')!;
    const catalog = { topics: [{ ...topic, partitions: 3 }] };
    const bus = await createEventBackbone({
      service: 'broker-restart',
      dataSource: ds,
      transport,
      logger,
      catalog,
      relay: { pollIntervalMs: 100, errorBackoffMs: 300 },
    });
    try {
      const consumer = await bus.subscribe({
        consumer: 'rm',
        topics: [topic.name],
        handler: applyProbe,
        watchdogIntervalMs: 500,
      });
      await bus.relay.start();
      const write = async (from: number, n: number) => {
        for (let i = from; i < from + n; i++)
          await writeOrder(ds, bus.outbox, { writer: 'w', seq: i, subject: `s${i % 5}` });
      };
      const applied = async () =>
        (await ds.query<{ n: number }[]>('select count(*)::int as n from chaos_applied'))[0]!.n;
      await write(0, 30);
      await waitFor('30 applied', async () => (await applied()) === 30);

      await broker.stop();
      await write(30, 30);
      // the outbox holds the events while the broker is away, and says so
      await waitFor('the outbox to report the backlog', async () => {
        const health = await bus.health();
        return health.relay.pending === 30 && (health.relay.oldestAgeSeconds ?? 0) > 1;
      });
      await broker.start();

      await waitFor('all 60 applied after the restart', async () => (await applied()) === 60, {
        timeoutMs: 120_000,
      });
      await waitFor('outbox drained', async () => (await bus.relay.stats()).pending === 0);
      const rows = await ds.query<
        {
          n: number;
        }[]
      >('select count(distinct event_id)::int as n from chaos_applied');
      expect(rows[0]!.n).toBe(60);
      expect(await ds.query('select count(*)::int as n from chaos_inversions')).toEqual([{ n: 0 }]);
      expect(consumer.health().status).not.toBe('failed');
      await waitFor('ready again', async () => (await bus.health()).ready, { timeoutMs: 60_000 });
    } finally {
      await bus.close();
      await transport.close();
      await ds.destroy();
      await db.drop();
      await broker.remove();
    }
  });

  it('`npm run chaos -- --kills 3`: kills, a broker restart, and nothing lost, doubled or reordered', async () => {
    const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--conditions=source',
          'packages/events/src/chaos/chaos.cli.ts',
          '--kills',
          '3',
          '--rate',
          '30',
        ],
        { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
    const last = output.stdout.trim().split('\n').pop() ?? '';
    const result = JSON.parse(last) as ChaosResult;
    if (output.code !== 0)
      throw new Error(`chaos failed (${output.code}): ${last}\n${output.stderr.slice(-3000)}`);
    expect(result).toMatchObject({
      lost: 0,
      phantom: 0,
      dup_applied: 0,
      order_inversions: 0,
      kills: 3,
      converged: true,
    });
    expect(result.committed).toBeGreaterThan(100);
    expect(result.published_distinct).toBe(result.committed);
    expect(result.broker_restarts).toBeGreaterThanOrEqual(1);
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'committed',
        'published_distinct',
        'lost',
        'phantom',
        'dup_delivered',
        'dup_applied',
        'order_inversions',
        'dlq',
        'max_recovery_s',
      ]),
    );
  });
});
