import { type Principal } from '@crm/auth';
import {
  botAnswers,
  callBackDue,
  checkHolder,
  frenchTime,
  maskPhone,
  onAssigned,
  onEscalationResolved,
  onHandoff,
  onRelease,
  typingParticipant,
  type Ownership,
} from './handoff.rules';

const BOT: Ownership = { owner: 'BOT', advisorId: null, advisorName: null };
const WAITING: Ownership = { owner: 'WAITING_FOR_ADVISOR', advisorId: null, advisorName: null };
const HELD: Ownership = { owner: 'ADVISOR', advisorId: 'a1', advisorName: 'Claire Martin' };
const CLOSED: Ownership = { owner: 'CLOSED', advisorId: null, advisorName: null };
const advisor = (sub: string): Principal => ({ sub, roles: ['advisor'] });

describe('who answers the client (ownership state machine)', () => {
  it('lets only the bot answer while it holds the conversation', () => {
    expect(botAnswers('BOT')).toBe(true);
    expect(
      ['WAITING_FOR_ADVISOR', 'ADVISOR', 'CLOSED'].map((o) => botAnswers(o as Ownership['owner'])),
    ).toEqual([false, false, false]);
  });

  it('makes a transferred client wait, once', () => {
    expect(onHandoff(BOT, 'CLIENT_REQUEST')).toEqual({
      kind: 'move',
      move: {
        to: 'WAITING_FOR_ADVISOR',
        cause: 'HANDOFF_REQUESTED',
        advisorId: null,
        advisorName: null,
        reason: 'CLIENT_REQUEST',
      },
    });
    expect(onHandoff(WAITING, 'NOT_UNDERSTOOD').kind).toBe('none');
    expect(onHandoff(HELD, 'NOT_UNDERSTOOD').kind).toBe('none');
  });

  it('gives a waiting client to the assigned advisor, and a held one to the next on a reassignment', () => {
    expect(onAssigned(WAITING, 'a1', 'Claire Martin')).toMatchObject({
      kind: 'move',
      move: { to: 'ADVISOR', cause: 'ADVISOR_ASSIGNED', advisorId: 'a1', advisorName: 'Claire' },
    });
    expect(onAssigned(HELD, 'a2', 'Marc Petit')).toMatchObject({
      move: { cause: 'ADVISOR_REASSIGNED', advisorId: 'a2' },
    });
    expect(onAssigned(HELD, 'A1', 'Claire Martin').kind).toBe('none');
    // a conversation the bot finished, or closed, is not taken back from the client's past
    expect(onAssigned(BOT, 'a1', 'Claire Martin').kind).toBe('none');
    expect(onAssigned(CLOSED, 'a1', 'Claire Martin').kind).toBe('none');
  });

  it('closes a waiting or held conversation when its entry is resolved, and nothing else', () => {
    expect(onEscalationResolved(HELD, 'Rappelé')).toMatchObject({
      move: { to: 'CLOSED', cause: 'ESCALATION_RESOLVED', reason: 'Rappelé', advisorId: 'a1' },
    });
    expect(onEscalationResolved(WAITING, 'x').kind).toBe('move');
    // resolved after its person was erased: closed all the same, without words
    expect(onEscalationResolved(HELD, null)).toMatchObject({
      move: { to: 'CLOSED', cause: 'ESCALATION_RESOLVED', reason: null },
    });
    expect(onEscalationResolved(BOT, 'x').kind).toBe('none');
    expect(onEscalationResolved(CLOSED, 'x').kind).toBe('none');
  });

  it('lets the holder, a supervisor or the system act on a held conversation, nobody on another', () => {
    expect(checkHolder(HELD, advisor('a1'))).toEqual({ ok: true });
    expect(checkHolder(HELD, { sub: 's', roles: ['supervisor'] })).toEqual({ ok: true });
    expect(checkHolder(HELD, advisor('a2'))).toMatchObject({ ok: false, code: 'CONVERSATION.NOT_HOLDER' });
    expect(checkHolder(HELD, { sub: 'a1', roles: ['client'] })).toMatchObject({ ok: false });
    expect(checkHolder(WAITING, advisor('a1'))).toMatchObject({
      ok: false,
      code: 'CONVERSATION.NOT_WITH_ADVISOR',
    });
    expect(onRelease(HELD, 'BOT', null)).toMatchObject({ to: 'BOT', cause: 'HANDED_BACK', advisorId: 'a1' });
    expect(onRelease(HELD, 'CLOSED', 'Réglé')).toMatchObject({
      to: 'CLOSED',
      cause: 'CLOSED_BY_ADVISOR',
      reason: 'Réglé',
    });
  });

  it('knows who is typing: the client of the conversation or its holder, only with an advisor', () => {
    const visitor: Principal = { sub: 'c1', roles: ['conversation'] };
    expect(typingParticipant(HELD, visitor, null, 'c1')).toBe('CLIENT');
    expect(typingParticipant(HELD, { sub: 'k1', roles: ['client'] }, 'k1', 'c1')).toBe('CLIENT');
    expect(typingParticipant(HELD, advisor('a1'), 'k1', 'c1')).toBe('ADVISOR');
    expect(typingParticipant(HELD, advisor('a2'), 'k1', 'c1')).toBeNull();
    expect(typingParticipant(HELD, { sub: 'c2', roles: ['conversation'] }, null, 'c1')).toBeNull();
    expect(typingParticipant(BOT, visitor, null, 'c1')).toBeNull();
  });

  it('offers a call-back once, past the wait limit', () => {
    const since = new Date(Date.UTC(2031, 0, 1, 10, 0));
    const at = (min: number) => new Date(since.getTime() + min * 60_000);
    expect(callBackDue(since, null, at(4), 5 * 60_000)).toBe(false);
    expect(callBackDue(since, null, at(5), 5 * 60_000)).toBe(true);
    expect(callBackDue(since, at(5), at(9), 5 * 60_000)).toBe(false);
    expect(callBackDue(null, null, at(9), 5 * 60_000)).toBe(false);
  });

  it('says the number and the time as a French client reads them', () => {
    expect(maskPhone('+33612345678')).toBe('06 •• •• •• 78');
    expect(maskPhone('+4915112345678')).toBe('•••• 78');
    expect(maskPhone(null)).toBeNull();
    // 14:30 UTC in winter is 15h30 in Paris, in summer 16h30
    expect(frenchTime(new Date(Date.UTC(2031, 0, 10, 14, 30)))).toBe('15h30');
    expect(frenchTime(new Date(Date.UTC(2031, 6, 10, 14, 30)))).toBe('16h30');
  });
});
