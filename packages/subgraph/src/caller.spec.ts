import { callerOf, callerOfEvent, eventOptions } from './caller';

const AT = new Date('2026-03-01T10:00:00.000Z');

describe('the caller', () => {
  it('of a request: the principal, its actor, the correlation id cut to the envelope limit', () => {
    const caller = callerOf({
      principal: { sub: 'adv-1', roles: ['advisor'] },
      correlationId: 'c'.repeat(300),
    });
    expect(caller).toEqual({
      principal: { sub: 'adv-1', roles: ['advisor'] },
      actor: { kind: 'advisor', id: 'adv-1' },
      correlationId: 'c'.repeat(200),
    });
    expect(caller).not.toHaveProperty('causationId');
  });

  it("of a consumer: the system, in the chain of the event it reacts to, or the event's own actor", () => {
    const event = { id: 'evt-1', correlationId: 'corr-1' };
    expect(callerOfEvent('claims.intake', event)).toEqual({
      principal: { sub: 'claims.intake', roles: ['system'] },
      actor: { kind: 'system', id: 'claims.intake' },
      correlationId: 'corr-1',
      causationId: 'evt-1',
    });
    expect(callerOfEvent('claims.partner', event, { kind: 'partner', id: 'WEB_CHAT' }).actor).toEqual({
      kind: 'partner',
      id: 'WEB_CHAT',
    });
  });

  it('gives the envelope options of its events', () => {
    const request = callerOf({ principal: { sub: 'adv-1', roles: ['advisor'] }, correlationId: 'corr' });
    expect(eventOptions(request, 'claims', 'claim-1', AT)).toEqual({
      source: 'claims',
      subject: 'claim-1',
      actor: { kind: 'advisor', id: 'adv-1' },
      correlationId: 'corr',
      causationId: null,
      occurredAt: AT,
    });
    expect(eventOptions(callerOfEvent('x', { id: 'e', correlationId: 'c' }), 's', 'k', AT).causationId).toBe(
      'e',
    );
  });
});
