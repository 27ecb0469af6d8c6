import { lockKey } from './locks';

describe('lockKey', () => {
  it('takes the transaction-scoped advisory lock of the key, hashed to 64 bits, the key bound as a parameter', async () => {
    const calls: [string, unknown[] | undefined][] = [];
    await lockKey(
      { query: (sql, params) => (calls.push([sql, params]), Promise.resolve([])) },
      "clients:o'brien",
    );
    expect(calls).toEqual([[`select pg_advisory_xact_lock(hashtextextended($1, 0))`, ["clients:o'brien"]]]);
  });
});
