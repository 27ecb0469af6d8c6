// The legacy audit_sessions shape the dual write keeps (legacy.rules.ts).
import { legacySessionOf, type LegacyInput } from './legacy.rules';

const input = (over: Partial<LegacyInput> = {}): LegacyInput => ({
  caseId: 'case-1',
  caseCreatedAt: new Date('2026-03-01T09:00:00Z'),
  type: 'AUDIT_COMPLETED',
  at: new Date('2026-03-01T10:00:00Z'),
  email: 'lead@example.fr',
  phone: null,
  name: 'Jean Dupont',
  intent: 'DTV',
  siteId: 'siam',
  payload: {
    visa_type: 'DTV-5',
    audit_status: 'VALID',
    confidence_score: 85,
    issues: [],
    missing_docs: ['Passeport'],
    ready_for_payment: true,
  },
  ...over,
});

describe('legacySessionOf', () => {
  it('an audit opens the session: the backfill input fields', () => {
    expect(legacySessionOf(null, input())).toEqual({
      session_id: 'case-1',
      email: 'lead@example.fr',
      phone: null,
      name: 'Jean Dupont',
      intent: 'DTV',
      visa_type: 'DTV-5',
      site_id: 'siam',
      created_at: '2026-03-01T09:00:00.000Z',
      completed_at: '2026-03-01T10:00:00.000Z',
      audit: {
        status: 'VALID',
        confidence_score: 85,
        issues: [],
        missing_docs: ['Passeport'],
        ready_for_payment: true,
      },
      summary: null,
    });
  });
  it('a later summary joins it; an older audit delivered late does not replace the newer one', () => {
    const first = legacySessionOf(null, input())!;
    const summary = legacySessionOf(first, {
      ...input({ type: 'CHAT_SUMMARIZED', at: new Date('2026-03-01T12:00:00Z') }),
      payload: { executive_summary: 'ok', visa_score: 70 },
    })!;
    expect(summary.summary).toEqual({ executive_summary: 'ok', visa_score: 70 });
    expect(summary.audit?.confidence_score).toBe(85);
    expect(summary.completed_at).toBe('2026-03-01T12:00:00.000Z');
    const late = legacySessionOf(summary, {
      ...input({ at: new Date('2026-03-01T08:00:00Z') }),
      payload: { ...input().payload, confidence_score: 10 },
    })!;
    expect(late.audit?.confidence_score).toBe(85);
    expect(late.completed_at).toBe('2026-03-01T12:00:00.000Z');
  });
  it('call requests and appointments have no legacy shape', () => {
    expect(legacySessionOf(null, input({ type: 'CALL_REQUESTED' }))).toBeNull();
    expect(legacySessionOf(null, input({ type: 'APPOINTMENT_BOOKED' }))).toBeNull();
  });
});
