// Phase suivi: the client asks where an existing claim stands. The bot reads the latest claims
// of the directory record, then offers to declare a new one.
import { fr } from '../messages.fr';
import { parseClaimType } from '../nlu/claim-type';
import { parseConfirmation } from '../nlu/confirm';
import { isFollowUpRequest, isGoodbye } from '../nlu/intents';
import type { Turn } from '../turn';
import { onDescription } from './description';
import { failed } from './transfer';

export function enterFollowUp(t: Turn): void {
  t.dialogue.intent = 'follow_up';
  const claims = [...(t.dialogue.profile?.claims ?? [])]
    .sort((a, b) => b.occurredOn.localeCompare(a.occurredOn))
    .slice(0, 3);
  t.goTo('follow_up_more');
  t.say(claims.length === 0 ? fr.followUpNone() : fr.followUpClaims(claims));
}

/** The answer to "Puis-je vous aider pour autre chose ?". */
export function onFollowUpMore(t: Turn, text: string): boolean {
  if (isFollowUpRequest(text)) {
    enterFollowUp(t);
    return true;
  }
  if (parseClaimType(text)) {
    t.dialogue.intent = 'declare';
    return onDescription(t, text);
  }
  const answer = parseConfirmation(text);
  if (answer === 'no' || isGoodbye(text)) {
    t.say(fr.goodbye());
    t.goTo('ended');
    t.ctx.phase = 'suivi';
    t.dialogue.status = 'completed';
    return true;
  }
  if (answer === 'yes') {
    t.dialogue.intent = 'declare';
    t.goTo('describe');
    t.say(fr.askDescriptionAgain());
    return true;
  }
  // said so, with the way to an advisor, rather than the same question again
  return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.followUpNotUnderstood()));
}
