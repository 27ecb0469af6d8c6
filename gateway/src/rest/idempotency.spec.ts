import { fingerprintOf, IDEMPOTENCY_KEY, memoryIdempotencyStore, replayable } from './idempotency';

describe('the idempotency store (memory)', () => {
  const answer = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"1"}' };

  it('replays the same request, refuses another body (mismatch) and a concurrent one (in progress)', async () => {
    let now = 1_000_000;
    const store = memoryIdempotencyStore(() => now);
    const f = fingerprintOf('POST', '/api/v1/clients', '{"nom":"A"}');
    expect(await store.begin('adv-1', 'k', f)).toEqual({ state: 'new' });
    expect(await store.begin('adv-1', 'k', f)).toEqual({ state: 'in-progress' });
    expect(await store.begin('adv-1', 'k', fingerprintOf('POST', '/api/v1/clients', '{"nom":"B"}'))).toEqual({
      state: 'mismatch',
    });
    await store.complete('adv-1', 'k', answer);
    expect(await store.begin('adv-1', 'k', f)).toEqual({ state: 'replay', answer });
    // per caller
    expect(await store.begin('adv-2', 'k', f)).toEqual({ state: 'new' });
    // 24 h later the key is free again
    now += 24 * 3600 * 1000 + 1;
    expect(await store.begin('adv-1', 'k', f)).toEqual({ state: 'new' });
  });

  it('releases a key whose answer is not replayable, and takes over a lost first request', async () => {
    let now = 0;
    const store = memoryIdempotencyStore(() => now);
    const f = fingerprintOf('POST', '/p', '');
    await store.begin('c', 'k', f);
    await store.release('c', 'k');
    expect(await store.begin('c', 'k', f)).toEqual({ state: 'new' });
    now += 121_000;
    expect(await store.begin('c', 'k', f)).toEqual({ state: 'new' });
  });

  it('keeps at most maxEntries', async () => {
    const store = memoryIdempotencyStore(Date.now, 2);
    for (const k of ['a', 'b', 'c']) await store.begin('c', k, 'f');
    expect(await store.begin('c', 'a', 'f')).toEqual({ state: 'new' });
  });

  it('replays answers about the request, not 401/403/429/5xx; keys are visible ASCII', () => {
    expect([200, 201, 404, 409, 422].map(replayable)).toEqual([true, true, true, true, true]);
    expect([401, 403, 429, 500, 503].map(replayable)).toEqual([false, false, false, false, false]);
    expect(IDEMPOTENCY_KEY.test('abc-123_XYZ')).toBe(true);
    expect(IDEMPOTENCY_KEY.test('with space')).toBe(false);
    expect(IDEMPOTENCY_KEY.test('x'.repeat(256))).toBe(false);
  });
});
