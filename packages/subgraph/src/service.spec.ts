import { consumerTransactionCap } from './service';

describe('consumer transactions per pool', () => {
  it.each([
    [2, 1],
    [3, 1],
    [10, 5],
    [25, 12],
  ])('a pool of %p connections lets consumers hold %p at most', (pool, cap) => {
    expect(consumerTransactionCap(pool)).toBe(cap);
  });
});
