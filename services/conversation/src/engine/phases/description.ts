// Phase description: the client's own words. The claim type is read from them, the claim id
// reserved by the caller becomes the conversation's claim, and every fact stated in passing
// is kept before the first detail question.
import { setClaimType } from '../contracts';
import { absorbMentions } from '../mentions';
import { fr } from '../messages.fr';
import { parseClaimTypeAnswer } from '../nlu/claim-type';
import { askNext } from '../slots';
import type { Turn } from '../turn';
import { failed } from './transfer';

export function onDescription(t: Turn, text: string): boolean {
  const type = parseClaimTypeAnswer(text);
  if (!type) {
    return failed(t, 'NOT_UNDERSTOOD', (attempt) => t.say(fr.descriptionNotUnderstood(attempt)));
  }
  const c = t.collected;
  c.description = c.description ? `${c.description} ${text}` : text;
  setClaimType(t, type);
  t.ctx.claimId = t.dialogue.reservedClaimId;
  absorbMentions(t, text);
  t.say(fr.acknowledgeClaim(type));
  askNext(t);
  return true;
}
