import type { AuditRecord } from './append';
import { AuditWriter } from './writer';

const record = (operation: string): AuditRecord => ({
  at: new Date(0),
  principal: 'advisor-1',
  roles: ['advisor'],
  operation,
  outcome: 'ok',
  correlationId: 'c-1',
});

/** a write that the test finishes by hand, recording the groups and how many run at once */
function manualWrite() {
  const groups: string[][] = [];
  const finishers: { resolve(): void; reject(err: Error): void }[] = [];
  let running = 0;
  let maxRunning = 0;
  const write = (records: AuditRecord[]) => {
    groups.push(records.map((r) => r.operation));
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<void>((resolve, reject) => {
      finishers.push({
        resolve: () => {
          running -= 1;
          resolve();
        },
        reject: (err) => {
          running -= 1;
          reject(err);
        },
      });
    });
  };
  const tick = () => new Promise((r) => setImmediate(r));
  return { groups, finishers, write, tick, maxRunning: () => maxRunning };
}

describe('AuditWriter', () => {
  it('writes one group at a time: what arrives during a write goes, in order, in the next one', async () => {
    const w = manualWrite();
    const writer = new AuditWriter({ write: w.write });
    const first = writer.append([record('a')]);
    const later = [writer.append([record('b'), record('c')]), writer.append([record('d')])];
    await w.tick();
    expect(w.groups).toEqual([['a']]);
    expect(writer.pending).toBe(4);
    w.finishers[0]!.resolve();
    await first;
    await w.tick();
    expect(w.groups).toEqual([['a'], ['b', 'c', 'd']]);
    w.finishers[1]!.resolve();
    await Promise.all(later);
    expect(w.maxRunning()).toBe(1);
    expect(writer.pending).toBe(0);
  });

  it("rejects only the failed group's callers, and goes on with the next group", async () => {
    const w = manualWrite();
    const writer = new AuditWriter({ write: w.write });
    const first = writer.append([record('a')]);
    const second = writer.append([record('b')]);
    await w.tick();
    w.finishers[0]!.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await w.tick();
    w.finishers[1]!.resolve();
    await expect(second).resolves.toBeUndefined();
    expect(w.groups).toEqual([['a'], ['b']]);
  });

  it('caps a group at maxGroup records without splitting one request', async () => {
    const w = manualWrite();
    const writer = new AuditWriter({ write: w.write, maxGroup: 2 });
    const all = [
      writer.append([record('a')]),
      writer.append([record('b')]),
      writer.append([record('c'), record('d'), record('e')]),
      writer.append([record('f')]),
    ];
    for (let i = 0; i < 4; i += 1) {
      await w.tick();
      w.finishers[i]?.resolve();
    }
    await Promise.all(all);
    expect(w.groups).toEqual([['a'], ['b'], ['c', 'd', 'e'], ['f']]);
  });

  it('flush waits for every record appended so far', async () => {
    const w = manualWrite();
    const writer = new AuditWriter({ write: w.write });
    void writer.append([record('a')]);
    let flushed = false;
    const flushing = writer.flush().then(() => (flushed = true));
    await w.tick();
    expect(flushed).toBe(false);
    w.finishers[0]!.resolve();
    await flushing;
    expect(flushed).toBe(true);
  });
});
