// The transfer to an advisor (phase transfert): on request, after too many turns not
// understood, or when authentication fails. Every phase's handler may end here.
import { fr } from '../messages.fr';
import type { HandoffReason } from '../outcomes';
import type { Turn } from '../turn';

export function transfer(t: Turn, reason: HandoffReason, message: string): void {
  const phase = t.ctx.phase;
  // an advisor may hand the client back: the bot resumes at this question
  t.dialogue.resumeAt = { step: t.dialogue.step, phase };
  t.say(message);
  t.ctx.phase = 'transfert';
  t.dialogue.step = 'ended';
  t.dialogue.status = 'transferred';
  t.outcomes.push({
    type: 'HandoffRequested',
    conversationId: t.ctx.conversationId,
    claimId: t.ctx.claimId,
    clientId: t.ctx.clientId,
    reason,
    phase,
    collected: { ...t.collected },
    transcript: [...t.ctx.messages],
    requestedAt: t.stamp,
  });
}

/** A turn not understood: reprompt, or transfer once the client has failed too often. */
export function failed(t: Turn, reason: HandoffReason, reprompt: (attempt: number) => void): boolean {
  t.dialogue.failures += 1;
  if (t.dialogue.failures >= t.options.maxFailures) {
    transfer(t, reason, fr.tooManyFailures());
  } else {
    reprompt(t.dialogue.failures);
  }
  return false;
}
