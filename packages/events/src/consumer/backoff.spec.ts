import { backoffDelay, DEFAULT_BACKOFF, forEachGroupInOrder } from './backoff';

describe('backoff with full jitter', () => {
  it('doubles the cap per attempt up to maxMs and spreads delays over [0, cap)', () => {
    const policy = { ...DEFAULT_BACKOFF, initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });
});

describe('forEachGroupInOrder', () => {
  it('keeps the order inside a group and runs groups side by side', async () => {
    const seen: string[] = [];
    let active = 0;
    let maxActive = 0;
    const groups = new Map([
      ['a', ['a1', 'a2', 'a3']],
      ['b', ['b1', 'b2']],
      ['c', ['c1']],
    ]);
    await forEachGroupInOrder(groups, 2, async (item) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(item);
      active--;
    });
    expect(seen.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(seen.filter((s) => s.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(seen).toHaveLength(6);
    expect(maxActive).toBe(2);
  });

  it('stops a group at its first failure and rethrows it', async () => {
    const seen: string[] = [];
    await expect(
      forEachGroupInOrder(new Map([['a', ['a1', 'boom', 'a3']]]), 4, (item) => {
        if (item === 'boom') return Promise.reject(new Error('boom'));
        seen.push(item);
        return Promise.resolve();
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['a1']);
  });
});
