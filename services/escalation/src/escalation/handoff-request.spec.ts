import { randomUUID } from 'node:crypto';
import { type EventDataMap } from '@crm/events';
import { CALL_REQUEST_MAX_AGE_MS } from './call-request';
import { handoffFrom } from './handoff-request';

const NOW = new Date('2026-06-10T12:00:00.000Z');
const conversationId = randomUUID();
const clientId = randomUUID();

const handoff = (over: Partial<EventDataMap['HandoffRequested']> = {}): EventDataMap['HandoffRequested'] => ({
  conversationId,
  claimId: null,
  clientId,
  reason: 'CLIENT_REQUEST',
  phase: 'description',
  collected: {},
  requestedAt: new Date(NOW.getTime() - 60_000).toISOString(),
  ...over,
});

describe('handoffFrom (a bot transfer becomes a queue entry)', () => {
  it.each([
    ['CLIENT_REQUEST', 'CLIENT_REQUEST'],
    ['NOT_UNDERSTOOD', 'NOT_UNDERSTOOD'],
    ['LOW_STT_CONFIDENCE', 'LOW_STT_CONFIDENCE'],
    ['AUTHENTICATION_FAILED', 'AUTH_FAILED'],
  ] as const)('queues a %s transfer with the reason %s, about the conversation', (reason, code) => {
    expect(handoffFrom(handoff({ reason }), NOW)).toEqual({
      kind: 'queue',
      input: {
        conversationId,
        clientId,
        reasons: [code],
        requestedAt: new Date(NOW.getTime() - 60_000),
      },
    });
  });

  it('queues an unauthenticated client without a client', () => {
    const decision = handoffFrom(
      handoff({ reason: 'AUTHENTICATION_FAILED', clientId: null, phase: 'auth' }),
      NOW,
    );
    expect(decision).toMatchObject({ kind: 'queue', input: { clientId: null, reasons: ['AUTH_FAILED'] } });
  });

  it('adds the injuries the client declared before the transfer (the queue serves them first)', () => {
    const decision = handoffFrom(
      handoff({ collected: { blessures: true, type_sinistre: 'collision' } }),
      NOW,
    );
    expect(decision).toMatchObject({ kind: 'queue', input: { reasons: ['CLIENT_REQUEST', 'INJURIES'] } });
    expect(handoffFrom(handoff({ collected: { blessures: false } }), NOW)).toMatchObject({
      input: { reasons: ['CLIENT_REQUEST'] },
    });
  });

  it("leaves an escalated claim's transfer to the claim's own escalation request, linked to the conversation", () => {
    const claimId = randomUUID();
    const requestedAt = new Date(NOW.getTime() - 60_000);
    expect(
      handoffFrom(handoff({ reason: 'ESCALATED', claimId: claimId.toUpperCase(), phase: 'decision' }), NOW),
    ).toEqual({ kind: 'claim', link: { claimId, conversationId, requestedAt } });
    // a link is a fact however old (a replay still tells which conversation the claim came from)
    const old = new Date(NOW.getTime() - CALL_REQUEST_MAX_AGE_MS - 1).toISOString();
    expect(handoffFrom(handoff({ reason: 'ESCALATED', claimId, requestedAt: old }), NOW).kind).toBe('claim');
    expect(handoffFrom(handoff({ reason: 'ESCALATED', claimId: null }), NOW)).toEqual({ kind: 'no-claim' });
  });

  it('does not queue a transfer older than the limit (a replay: nobody is waiting)', () => {
    const old = new Date(NOW.getTime() - CALL_REQUEST_MAX_AGE_MS - 1).toISOString();
    expect(handoffFrom(handoff({ requestedAt: old }), NOW)).toEqual({
      kind: 'stale',
      ageMs: CALL_REQUEST_MAX_AGE_MS + 1,
    });
    const justInTime = new Date(NOW.getTime() - CALL_REQUEST_MAX_AGE_MS).toISOString();
    expect(handoffFrom(handoff({ requestedAt: justInTime }), NOW).kind).toBe('queue');
  });

  it('lower-cases the ids it keeps (the graph and the unique index compare them as text)', () => {
    const upper = handoff({ conversationId: conversationId.toUpperCase(), clientId: clientId.toUpperCase() });
    expect(handoffFrom(upper, NOW)).toMatchObject({ input: { conversationId, clientId } });
  });
});
