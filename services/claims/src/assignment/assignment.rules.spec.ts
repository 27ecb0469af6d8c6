import type { EventDataMap } from '@crm/events';
import { assignmentFrom, decideHolder } from './assignment.rules';

const claimId = '3b9f6a52-0c4e-4d8a-9f51-6f7d2a1c0e11';
const caseId = '7c2e9f10-5b4d-4e3a-8f21-0a9b8c7d6e5f';
const advisorId = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const other = '0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9';
const T = new Date('2031-05-12T09:00:00.000Z');
const after = (ms: number) => new Date(T.getTime() + ms);

const assigned = (over: Partial<EventDataMap['AdvisorAssigned']>): EventDataMap['AdvisorAssigned'] => ({
  escalationId: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  advisorId,
  advisorName: 'Claire Martin',
  mode: 'AUTO',
  assignedAt: T.toISOString(),
  ...over,
});

describe('assignmentFrom', () => {
  it("reads a claim's entry (a conversation it came from or not), ids lower-cased", () => {
    expect(
      assignmentFrom(
        assigned({
          claimId: claimId.toUpperCase(),
          advisorId: advisorId.toUpperCase(),
          conversationId: other,
        }),
      ),
    ).toEqual({ claimId, caseId: null, advisorId, assignedAt: T });
  });

  it("reads a case's call-request entry", () => {
    expect(assignmentFrom(assigned({ caseId }))).toEqual({ claimId: null, caseId, advisorId, assignedAt: T });
  });

  it('has nothing for an entry about a conversation alone', () => {
    expect(assignmentFrom(assigned({ conversationId: other }))).toBeNull();
  });
});

describe('decideHolder: the latest assignment wins', () => {
  const next = { advisorId, assignedAt: T };

  it('sets the first advisor, and one held since before the instants were recorded', () => {
    expect(decideHolder({ advisorId: null, assignedAt: null }, next)).toEqual({ kind: 'set', changed: true });
    expect(decideHolder({ advisorId: other, assignedAt: null }, next)).toEqual({
      kind: 'set',
      changed: true,
    });
    expect(decideHolder({ advisorId, assignedAt: null }, next)).toEqual({ kind: 'set', changed: false });
  });

  it('replaces the holder with a later assignment; only the instant for the same advisor', () => {
    expect(decideHolder({ advisorId: other, assignedAt: after(-1) }, next)).toEqual({
      kind: 'set',
      changed: true,
    });
    expect(decideHolder({ advisorId: advisorId.toUpperCase(), assignedAt: after(-1) }, next)).toEqual({
      kind: 'set',
      changed: false,
    });
  });

  it('keeps the holder against an older assignment, and against the same one again', () => {
    expect(decideHolder({ advisorId: other, assignedAt: after(1) }, next)).toEqual({ kind: 'keep' });
    expect(decideHolder({ advisorId, assignedAt: T }, next)).toEqual({ kind: 'keep' });
  });
});
