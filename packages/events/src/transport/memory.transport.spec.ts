import { prefixedCatalog } from '../catalog';
import { MemoryTransport, partitionOf } from './memory.transport';
import { type DeliveredMessage } from './transport';

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('in-process transport', () => {
  const topic = 'crm.claims.events.v1';
  const make = async () => {
    const transport = new MemoryTransport({ maxBatch: 7, redeliveryDelayMs: 1 });
    await transport.provision(prefixedCatalog(''));
    return transport;
  };

  it('keeps one key on one partition', () => {
    expect(partitionOf('claim-1', 12)).toBe(partitionOf('claim-1', 12));
    expect(new Set(Array.from({ length: 100 }, (_, i) => partitionOf(`k${i}`, 12))).size).toBeGreaterThan(6);
  });

  it('delivers every record in key order and commits after each batch', async () => {
    const transport = await make();
    const seen: DeliveredMessage[] = [];
    const sub = await transport.subscribe({
      groupId: 'g',
      topics: [topic],
      handleBatch: (messages) => {
        seen.push(...messages);
        return Promise.resolve();
      },
    });
    await transport.send(
      Array.from({ length: 60 }, (_, i) => ({ topic, key: `k${i % 4}`, value: String(i) })),
    );
    await until('60 records', () => seen.length >= 60);
    for (const k of ['k0', 'k1', 'k2', 'k3']) {
      const values = seen.filter((m) => m.key === k).map((m) => Number(m.value!.toString()));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
    expect(await sub.lag()).toBe(0);
    await sub.stop();
  });

  it('redelivers a batch whose handler failed (at-least-once)', async () => {
    const transport = await make();
    let failures = 0;
    const values: string[] = [];
    const sub = await transport.subscribe({
      groupId: 'g',
      topics: [topic],
      handleBatch: (messages) => {
        if (failures < 2) {
          failures++;
          return Promise.reject(new Error('database down'));
        }
        values.push(...messages.map((m) => m.value!.toString()));
        return Promise.resolve();
      },
    });
    await transport.send([{ topic, key: 'k', value: 'only' }]);
    await until('the redelivery', () => values.length > 0);
    expect(values).toEqual(['only']);
    expect(failures).toBe(2);
    await sub.stop();
  });

  it('refuses topics outside the catalog, like a broker without auto-creation', async () => {
    const transport = await make();
    await expect(transport.send([{ topic: 'nope', key: 'k', value: 'v' }])).rejects.toThrow(
      /unknown topic nope/,
    );
  });
});
