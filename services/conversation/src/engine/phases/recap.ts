// Phase decision, before the decision: "Je récapitule : ... Est-ce exact ?". A yes decides, a
// no asks what to correct, a correction is applied and read back.
import { applyCorrections } from '../corrections';
import { fr } from '../messages.fr';
import { parseConfirmation } from '../nlu/confirm';
import { askNext } from '../slots';
import type { Turn } from '../turn';
import { decide } from './decision';
import { failed } from './transfer';

export function onRecap(t: Turn, text: string): boolean {
  const changes = applyCorrections(t, text);
  if (changes.length > 0) return correctionApplied(t, changes);
  const answer = parseConfirmation(text);
  if (answer === 'yes') {
    decide(t);
    return true;
  }
  if (answer === 'no') {
    t.goTo('ask_correction');
    t.say(fr.askWhatToCorrect());
    return true;
  }
  return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.yesNoNotUnderstood(fr.recap(t.collected))));
}

/** The answer to "Qu'est-ce qui n'est pas exact ?". */
export function onCorrection(t: Turn, text: string): boolean {
  const changes = applyCorrections(t, text);
  if (changes.length > 0) return correctionApplied(t, changes);
  if (parseConfirmation(text) === 'no' || /\b(rien|tout est bon|c'est bon)\b/i.test(text)) {
    t.goTo('confirm_recap');
    t.say(fr.recap(t.collected));
    return true;
  }
  return failed(t, 'NOT_UNDERSTOOD', () => t.say(fr.correctionNotUnderstood()));
}

/** Reads the changes back, then asks what a changed fact now requires, or the recap again. */
function correctionApplied(t: Turn, changes: readonly string[]): true {
  t.say(fr.correctionApplied(changes));
  askNext(t);
  return true;
}
