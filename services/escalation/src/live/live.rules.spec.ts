import { isUuid } from '@crm/subgraph';
import { type EscalationView } from '../escalation/escalation.mapping';
import {
  advisorsNamed,
  changeKindOf,
  concernsAdvisor,
  isLive,
  isNewerThanSnapshot,
  type QueueChange,
} from './live.rules';

const entry = (advisorId: string | null): EscalationView =>
  ({ id: 'e1', claimId: 'c1', advisorId, status: advisorId ? 'ASSIGNED' : 'WAITING' }) as EscalationView;
const change = (over: Partial<QueueChange> = {}): QueueChange => ({
  kind: 'ASSIGNED',
  entry: entry('a1'),
  at: new Date('2026-11-21T10:00:00Z'),
  eventId: 'ev-1',
  advisorIds: ['a1'],
  ...over,
});

describe('live queue rules', () => {
  it('maps each escalation event to its change kind, and nothing else', () => {
    expect(changeKindOf('EscalationQueued')).toBe('QUEUED');
    expect(changeKindOf('AdvisorAssigned')).toBe('ASSIGNED');
    expect(changeKindOf('EscalationStarted')).toBe('STARTED');
    expect(changeKindOf('EscalationResolved')).toBe('RESOLVED');
    expect(changeKindOf('AdvisorStatusChanged')).toBeUndefined();
  });

  it('reads the advisors an event names', () => {
    expect(advisorsNamed({ advisorId: 'a2', previousAdvisorId: 'a1' })).toEqual(['a2', 'a1']);
    expect(advisorsNamed({ escalationId: 'e1' })).toEqual([]);
    expect(advisorsNamed(null)).toEqual([]);
  });

  it("gives an advisor his entries' changes and the reassignment that took one from him", () => {
    expect(concernsAdvisor(change(), 'a1')).toBe(true);
    expect(concernsAdvisor(change({ entry: entry('a2'), advisorIds: ['a2', 'a1'] }), 'a1')).toBe(true);
    expect(concernsAdvisor(change({ entry: entry(null), advisorIds: [] }), 'a1')).toBe(false);
    expect(concernsAdvisor(change({ entry: entry('a2'), advisorIds: ['a2'] }), 'a1')).toBe(false);
  });

  it('drops a change the snapshot already holds', () => {
    expect(isNewerThanSnapshot(change(), new Set(['ev-1']))).toBe(false);
    expect(isNewerThanSnapshot(change(), new Set(['ev-0']))).toBe(true);
    expect(isNewerThanSnapshot(change({ eventId: null, kind: 'SNAPSHOT' }), new Set(['ev-1']))).toBe(true);
  });

  it('treats replayed history from before the feed started as no change', () => {
    const started = new Date('2026-11-21T10:00:00Z');
    expect(isLive(new Date('2026-11-21T09:58:00Z'), started)).toBe(false);
    expect(isLive(new Date('2026-11-21T09:59:30Z'), started)).toBe(true);
    expect(isLive(new Date('2026-11-21T10:00:01Z'), started)).toBe(true);
  });

  it('knows an advisor id from another subject', () => {
    expect(isUuid('0b6f3c1e-1d2a-4c3b-9f8e-7a6b5c4d3e2f')).toBe(true);
    expect(isUuid('sup-subs')).toBe(false);
  });
});
