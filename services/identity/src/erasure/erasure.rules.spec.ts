import { erasureProgress, ERASING_SERVICES, leadErasureProgress } from './erasure.rules';

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

describe("a lead's erasure progress", () => {
  const erasure = { leadRecordId: '6f1d2c3b-0a9e-4d8c-9b7a-112233445566', erasedAt, events: 2, cases: 501 };
  const receipt = (service: string, erasureEventId: string, s: number, items: number) => ({
    service,
    erasureEventId,
    erasedAt: later(s),
    items,
  });

  it('waits for a proof of every event from each service holding cases, then adds their items', () => {
    const progress = leadErasureProgress(erasure, [
      receipt('claims', 'e1', 3, 500),
      receipt('escalation', 'e1', 1, 2),
      receipt('escalation', 'e2', 2, 0),
    ]);
    expect(progress).toMatchObject({ id: erasure.leadRecordId, cases: 501, erasedAt, complete: false });
    expect(progress.services).toEqual([
      { service: 'identity', done: true, erasedAt, items: 1 },
      { service: 'claims', done: false, erasedAt: null, items: null },
      { service: 'escalation', done: true, erasedAt: later(2), items: 2 },
    ]);
    const done = leadErasureProgress(erasure, [
      receipt('claims', 'e1', 3, 500),
      receipt('claims', 'e2', 5, 1),
      receipt('escalation', 'e1', 1, 2),
      receipt('escalation', 'e2', 2, 0),
    ]);
    expect(done.complete).toBe(true);
    expect(done.services[1]).toEqual({ service: 'claims', done: true, erasedAt: later(5), items: 501 });
  });
});
