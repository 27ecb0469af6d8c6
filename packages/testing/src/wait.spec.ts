import { waitFor, waitForCount, withTimeout } from './wait';

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    await expect(waitFor('n to reach 3', () => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(
      3,
    );
  });
  it('says what it waited for when the deadline passes, with the last error', async () => {
    await expect(
      waitFor(
        'the relay',
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow('timed out after 20 ms waiting for the relay (last error: connection refused)');
  });
});

describe('waitForCount', () => {
  it('waits as long as the count moves, and returns at the target', async () => {
    let n = 0;
    await expect(
      waitForCount('rows', () => Promise.resolve(++n), 50, { stallMs: 20, intervalMs: 1 }),
    ).resolves.toBe(undefined);
    expect(n).toBe(50);
  });
  it('fails when the count stops moving, saying where it stopped', async () => {
    let n = 0;
    await expect(
      waitForCount('rows', () => Promise.resolve(Math.min(++n, 3)), 10, { stallMs: 20, intervalMs: 2 }),
    ).rejects.toThrow(/rows: stuck at 3 of 10 for 20 ms/);
  });
  it('fails at once past the target', async () => {
    await expect(waitForCount('rows', () => Promise.resolve(11), 10)).rejects.toThrow(/11, more than the 10/);
  });
});

describe('withTimeout', () => {
  it('rejects a promise that never settles', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, 'the consumer')).rejects.toThrow(
      'the consumer did not finish within 10 ms',
    );
  });
  it('passes a result through', async () => {
    await expect(withTimeout(Promise.resolve(7), 100, 'x')).resolves.toBe(7);
  });
});
