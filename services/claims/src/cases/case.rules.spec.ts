import {
  CALL_BACK_SLA_MS,
  NEW_CASE_STATUS,
  projectCase,
  resolveCase,
  type CaseCandidate,
  type CaseProjection,
} from './case.rules';

const DAY = 86_400_000;
const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (days: number, ms = 0) => new Date(t0.getTime() + days * DAY + ms);
const KEY = { leadId: 'lead@example.fr', intent: 'DTV', siteId: 'siam-visa-pro' };
const ev = (when: Date, key: Partial<typeof KEY> = {}) => ({ ...KEY, ...key, at: when });
const candidate = (id: string, lastEventDays: number): CaseCandidate => ({
  ...KEY,
  id,
  lastEventAt: at(lastEventDays),
  createdAt: at(lastEventDays - 5),
});

describe('resolveCase (seed 2: same lead + intent + site within 30 days)', () => {
  it('opens a new case when the lead has no case for this intent and site', () => {
    expect(resolveCase([], ev(at(0)))).toBeNull();
  });

  it('opens a new case for another intent, another site or another lead, even the same day', () => {
    const c = candidate('c1', 0);
    expect(resolveCase([c], ev(at(1), { intent: 'RETIREMENT' }))).toBeNull();
    expect(resolveCase([c], ev(at(1), { siteId: 'other-site' }))).toBeNull();
    expect(resolveCase([c], ev(at(1), { leadId: 'other@example.fr' }))).toBeNull();
    expect(resolveCase([c], ev(at(1)))?.id).toBe('c1');
  });

  it('merges an event 29 days after the last one', () => {
    expect(resolveCase([candidate('c1', 0)], ev(at(29)))?.id).toBe('c1');
  });

  it('merges one millisecond before the 30 days', () => {
    expect(resolveCase([candidate('c1', 0)], ev(at(30, -1)))?.id).toBe('c1');
  });

  it('opens a new case at exactly 30 days (the window is strictly less than 30 days)', () => {
    expect(resolveCase([candidate('c1', 0)], ev(at(30)))).toBeNull();
  });

  it('opens a new case 31 days after', () => {
    expect(resolveCase([candidate('c1', 0)], ev(at(31)))).toBeNull();
  });

  it('measures from the last event, not the creation: a case kept alive keeps merging', () => {
    const alive: CaseCandidate = { ...KEY, id: 'c1', createdAt: at(0), lastEventAt: at(25) };
    expect(resolveCase([alive], ev(at(50)))?.id).toBe('c1');
  });

  it('puts a late event (before the last one) in the case it belongs to', () => {
    expect(resolveCase([candidate('c1', 20)], ev(at(10)))?.id).toBe('c1');
  });

  it('picks the closest case when several are within the window', () => {
    const older = candidate('old', 0);
    const newer = candidate('new', 40);
    expect(resolveCase([older, newer], ev(at(45)))?.id).toBe('new');
    expect(resolveCase([older, newer], ev(at(5)))?.id).toBe('old');
    expect(resolveCase([older, newer], ev(at(35)))?.id).toBe('new');
  });

  it('falls back on the creation date of a case without events', () => {
    expect(resolveCase([{ ...KEY, id: 'c1', createdAt: at(0), lastEventAt: null }], ev(at(10)))?.id).toBe(
      'c1',
    );
  });
});

describe('projectCase (status, last_event_at, next_action_at, confidence_score)', () => {
  const fresh: CaseProjection = {
    status: NEW_CASE_STATUS,
    lastEventAt: null,
    nextActionAt: null,
    confidenceScore: null,
  };

  it('AUDIT_COMPLETED -> AUDIT_DONE with the audit confidence', () => {
    expect(
      projectCase(fresh, { type: 'AUDIT_COMPLETED', timestamp: at(0), payload: { confidence_score: 85 } }),
    ).toEqual({
      status: 'AUDIT_DONE',
      lastEventAt: at(0),
      nextActionAt: null,
      confidenceScore: 85,
    });
  });

  it('CALL_REQUESTED -> CALL_REQUESTED, call back within the SLA of the request', () => {
    const p = projectCase(fresh, { type: 'CALL_REQUESTED', timestamp: at(1), payload: {} });
    expect(p).toEqual({
      status: 'CALL_REQUESTED',
      lastEventAt: at(1),
      nextActionAt: new Date(at(1).getTime() + CALL_BACK_SLA_MS),
      confidenceScore: null,
    });
  });

  it('APPOINTMENT_BOOKED -> CALL_SCHEDULED at the appointment start', () => {
    const p = projectCase(
      { ...fresh, status: 'CALL_REQUESTED', lastEventAt: at(1), confidenceScore: 70 },
      { type: 'APPOINTMENT_BOOKED', timestamp: at(2), payload: { start_time: '2026-03-10T14:00:00Z' } },
    );
    expect(p).toEqual({
      status: 'CALL_SCHEDULED',
      lastEventAt: at(2),
      nextActionAt: new Date('2026-03-10T14:00:00Z'),
      confidenceScore: 70,
    });
  });

  it('CHAT_SUMMARIZED keeps an advanced status and records the visa score', () => {
    const p = projectCase(
      { status: 'CALL_SCHEDULED', lastEventAt: at(1), nextActionAt: at(5), confidenceScore: 70 },
      { type: 'CHAT_SUMMARIZED', timestamp: at(2), payload: { visa_score: 62.4 } },
    );
    expect(p).toEqual({
      status: 'CALL_SCHEDULED',
      lastEventAt: at(2),
      nextActionAt: at(5),
      confidenceScore: 62,
    });
  });

  it('CHAT_SUMMARIZED moves a fresh case to SUMMARIZED', () => {
    expect(
      projectCase(fresh, { type: 'CHAT_SUMMARIZED', timestamp: at(0), payload: { visa_score: 40 } }).status,
    ).toBe('SUMMARIZED');
  });

  it('CLAIM_OPENED -> CLAIM_OPENED', () => {
    expect(projectCase(fresh, { type: 'CLAIM_OPENED', timestamp: at(0), payload: {} })).toMatchObject({
      status: 'CLAIM_OPENED',
      lastEventAt: at(0),
    });
  });

  it('never rolls back for a late event (older than last_event_at)', () => {
    const current: CaseProjection = {
      status: 'CALL_SCHEDULED',
      lastEventAt: at(10),
      nextActionAt: at(12),
      confidenceScore: 90,
    };
    expect(
      projectCase(current, { type: 'AUDIT_COMPLETED', timestamp: at(3), payload: { confidence_score: 20 } }),
    ).toBe(current);
  });

  it('applies an event with the same timestamp as the last one (not late)', () => {
    const current: CaseProjection = {
      status: 'AUDIT_DONE',
      lastEventAt: at(10),
      nextActionAt: null,
      confidenceScore: 90,
    };
    expect(projectCase(current, { type: 'CALL_REQUESTED', timestamp: at(10), payload: {} }).status).toBe(
      'CALL_REQUESTED',
    );
  });

  it('keeps the confidence within 0..100', () => {
    expect(
      projectCase(fresh, { type: 'AUDIT_COMPLETED', timestamp: at(0), payload: { confidence_score: 100.4 } })
        .confidenceScore,
    ).toBe(100);
  });
});
