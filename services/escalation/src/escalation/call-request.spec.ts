import { EventError, type CaseCallRequestedDataV1 } from '@crm/events';
import { CALL_REQUEST_MAX_AGE_MS, callRequestFrom, reasonCode } from './call-request';

const CASE = '7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
const NOW = new Date('2026-11-21T10:00:00.000Z');

const request = (over: Partial<CaseCallRequestedDataV1> = {}): CaseCallRequestedDataV1 => ({
  caseId: CASE,
  leadId: 'marie.curie@example.fr',
  name: 'Marie Curie',
  phone: '+33612345678',
  intent: 'DTV',
  siteId: 'siam-visa-pro',
  eventId: 'a'.repeat(64),
  reason: 'case_complexity',
  userStage: 'documents_review',
  notes: 'Besoin de précisions sur la résidence fiscale',
  requestedAt: '2026-11-21T09:30:00.000Z',
  callBackBy: '2026-11-21T13:30:00.000Z',
  ...over,
});

describe('reasonCode', () => {
  it.each([
    ['case_complexity', 'CASE_COMPLEXITY'],
    ['user_request', 'USER_REQUEST'],
    ['  Réclamation client ', 'RECLAMATION_CLIENT'],
    ['info-contrat', 'INFO_CONTRAT'],
    ['***', ''],
  ])('%j -> %j', (raw, code) => expect(reasonCode(raw)).toBe(code));

  it('is bounded to 200 characters', () => expect(reasonCode('x'.repeat(500))).toHaveLength(200));
});

describe('callRequestFrom (CaseCallRequested data)', () => {
  it('queues the case with CALL_REQUESTED first, the partner reason as a code, and the request kept', () => {
    expect(callRequestFrom(request(), NOW)).toEqual({
      kind: 'queue',
      input: {
        caseId: CASE,
        leadEmail: 'marie.curie@example.fr',
        leadPhone: '+33612345678',
        reasons: ['CALL_REQUESTED', 'CASE_COMPLEXITY'],
        requestedAt: new Date('2026-11-21T09:30:00.000Z'),
        callBackBy: new Date('2026-11-21T13:30:00.000Z'),
        details: {
          reason: 'case_complexity',
          name: 'Marie Curie',
          intent: 'DTV',
          siteId: 'siam-visa-pro',
          userStage: 'documents_review',
          notes: 'Besoin de précisions sur la résidence fiscale',
        },
      },
    });
  });

  it('a reason without letters or digits adds no second code; no phone and no notes are kept as absent', () => {
    const decision = callRequestFrom(
      request({ reason: '???', phone: null, name: null, notes: undefined }),
      NOW,
    );
    expect(decision.kind).toBe('queue');
    if (decision.kind !== 'queue') return;
    expect(decision.input.reasons).toEqual(['CALL_REQUESTED']);
    expect(decision.input.leadPhone).toBeNull();
    expect(decision.input.details).not.toHaveProperty('notes');
    expect(decision.input.details).not.toHaveProperty('name');
  });

  it('a request older than seven days is history, not a call to make now', () => {
    const old = new Date(NOW.getTime() - CALL_REQUEST_MAX_AGE_MS - 1000).toISOString();
    expect(callRequestFrom(request({ requestedAt: old }), NOW)).toEqual({
      kind: 'stale',
      ageMs: CALL_REQUEST_MAX_AGE_MS + 1000,
    });
    const recent = new Date(NOW.getTime() - CALL_REQUEST_MAX_AGE_MS + 1000).toISOString();
    expect(callRequestFrom(request({ requestedAt: recent }), NOW).kind).toBe('queue');
  });

  it('refuses a case id that is not a UUID (dead-lettered as EVENT.REJECTED)', () => {
    let error: unknown;
    try {
      callRequestFrom(request({ caseId: 'case-42' }), NOW);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EventError);
    expect((error as EventError).code).toBe('EVENT.REJECTED');
  });
});
