import { erasureProgress, ERASING_SERVICES } from './erasure.rules';

const erasedAt = new Date('2031-05-12T09:00:00.000Z');
const later = (s: number) => new Date(erasedAt.getTime() + s * 1000);

describe("a client's erasure progress", () => {
  it('lists identity, done by the erasure itself, then every erasing service, waiting until its proof', () => {
    const progress = erasureProgress(erasedAt, [{ service: 'claims', erasedAt: later(2), items: 3 }]);
    expect(progress.services).toEqual([
      { service: 'identity', done: true, erasedAt, items: 1 },
      { service: 'conversation', done: false, erasedAt: null, items: null },
      { service: 'claims', done: true, erasedAt: later(2), items: 3 },
      { service: 'escalation', done: false, erasedAt: null, items: null },
      { service: 'reimbursement', done: false, erasedAt: null, items: null },
    ]);
    expect(progress.complete).toBe(false);
  });

  it('is complete once every service answered, even those that held nothing', () => {
    const receipts = ERASING_SERVICES.filter((s) => s !== 'identity').map((service, i) => ({
      service,
      erasedAt: later(i),
      items: i === 0 ? 0 : 2,
    }));
    const progress = erasureProgress(erasedAt, receipts);
    expect(progress.complete).toBe(true);
    expect(progress.services.map((s) => s.items)).toEqual([1, 0, 2, 2, 2]);
  });
});
