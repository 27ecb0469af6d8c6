import { randomUUID } from 'node:crypto';
import { type EventDataMap } from '@crm/events';
import { callBackFrom, DEFAULT_RESOLUTIONS, ownershipDecision } from './conversation-events';

const conversationId = randomUUID();
const claimId = randomUUID();
const escalationId = randomUUID();
const advisorId = randomUUID();

type Change = EventDataMap['ConversationOwnershipChanged'];
const change = (over: Partial<Change> = {}): Change => ({
  conversationId,
  from: 'ADVISOR',
  to: 'BOT',
  advisorId,
  cause: 'HANDED_BACK',
  sequence: 12,
  changedAt: '2026-06-10T12:00:00.000Z',
  ...over,
});

describe('ownershipDecision (the advisor let the conversation go)', () => {
  it('resolves the entry on HANDED_BACK with a French default, or the reason given', () => {
    expect(ownershipDecision(change())).toEqual({
      kind: 'resolve',
      ref: { escalationId: null, conversationId, claimId: null },
      resolution: "Rendu à l'assistant",
    });
    expect(ownershipDecision(change({ reason: '  Client rassuré, suite avec l’assistant ' }))).toMatchObject({
      resolution: 'Client rassuré, suite avec l’assistant',
    });
  });

  it('resolves on CLOSED_BY_ADVISOR with the resolution, naming the entry, the claim (ids lower-cased)', () => {
    const decision = ownershipDecision(
      change({
        cause: 'CLOSED_BY_ADVISOR',
        to: 'CLOSED',
        reason: 'Déclaration complétée par téléphone',
        escalationId: escalationId.toUpperCase(),
        claimId: claimId.toUpperCase(),
        conversationId: conversationId.toUpperCase(),
      }),
    );
    expect(decision).toEqual({
      kind: 'resolve',
      ref: { escalationId, conversationId, claimId },
      resolution: 'Déclaration complétée par téléphone',
    });
    expect(ownershipDecision(change({ cause: 'CLOSED_BY_ADVISOR', reason: ' ' }))).toMatchObject({
      resolution: DEFAULT_RESOLUTIONS.CLOSED_BY_ADVISOR,
    });
  });

  it.each(['HANDOFF_REQUESTED', 'ADVISOR_ASSIGNED', 'ADVISOR_REASSIGNED', 'ESCALATION_RESOLVED'] as const)(
    'ignores %s (the queue made that change, or it precedes the entry)',
    (cause) => {
      expect(ownershipDecision(change({ cause, reason: 'x' }))).toEqual({ kind: 'ignore' });
    },
  );
});

describe('callBackFrom', () => {
  it('reads the number, the deadline and the offer', () => {
    expect(
      callBackFrom({
        conversationId,
        claimId,
        escalationId,
        phone: '+33612345678',
        callBackBy: '2026-06-10T14:00:00.000Z',
        offeredAt: '2026-06-10T12:05:00.000Z',
      }),
    ).toEqual({
      ref: { escalationId, conversationId, claimId },
      phone: '+33612345678',
      by: new Date('2026-06-10T14:00:00.000Z'),
      offeredAt: new Date('2026-06-10T12:05:00.000Z'),
    });
  });

  it('keeps no number when the client has none', () => {
    expect(
      callBackFrom({
        conversationId,
        callBackBy: '2026-06-10T14:00:00.000Z',
        offeredAt: '2026-06-10T12:05:00.000Z',
      }),
    ).toMatchObject({ ref: { escalationId: null, claimId: null }, phone: null });
  });
});
