// The personal code (4 to 6 digits) a client with a code gives before the bot reads anything
// back. Typed ("1234", "12 34", "12-34", full-width digits) or spoken ("quatre sept zéro neuf",
// "douze trente-quatre"). An answer that is not a code may say there is none ("je n'en ai pas",
// "j'ai oublié"): the bot then asks for the matricule again, without trying anything.
import { parseConfirmation } from './confirm';
import { parseNumberWords } from './numbers';
import { words } from './text';

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 6;

/** What the transcript keeps in place of the answer to the code question. */
export const PIN_MASK = '[code personnel masqué]';

export type PinAnswer = { kind: 'pin'; pin: string } | { kind: 'none' };

const NO_CODE =
  / (pas de code|aucun code|pas (de|d) code personnel|pas choisi|jamais (choisi|eu|defini|cree|mis)|n en ai (pas|aucun)|j en ai pas|je n ai pas|j ai pas|oublie|sais (pas|plus)|souviens (pas|plus)|rappelle (pas|plus)|connais pas|quel code|c est quoi) /;

/** The spoken digits of the longest run of number words: "un code deux trois quatre cinq" is 2345. */
function spokenDigits(text: string): string {
  const tokens = words(text).trim().split(' ');
  let best = '';
  let run = '';
  for (let i = 0; i < tokens.length;) {
    const parsed = parseNumberWords(tokens, i);
    if (parsed && parsed.next > i) {
      run += String(parsed.value);
      i = parsed.next;
      continue;
    }
    if (run.length > best.length) best = run;
    run = '';
    i += 1;
  }
  return run.length > best.length ? run : best;
}

/** Whether an answer to the code question may hold a code, or part of one: it is then masked. */
export function mayHoldPin(text: string): boolean {
  const normalized = text.normalize('NFKC');
  return /[0-9]/.test(normalized) || spokenDigits(normalized).length > 0;
}

/**
 * The code in an answer, or `none` when the person says there is none, or null when the answer
 * is neither (the bot asks again). Digits typed win over number words; anything but 4 to 6
 * digits is not a code (a matricule given again, a date).
 */
export function parsePin(text: string): PinAnswer | null {
  const normalized = text.normalize('NFKC');
  const typed = normalized.replace(/[^0-9]/g, '');
  const digits = typed.length > 0 ? typed : spokenDigits(normalized);
  if (digits.length >= PIN_MIN_DIGITS && digits.length <= PIN_MAX_DIGITS) return { kind: 'pin', pin: digits };
  if (digits.length > 0) return null;
  if (NO_CODE.test(words(normalized)) || parseConfirmation(normalized) === 'no') return { kind: 'none' };
  return null;
}
