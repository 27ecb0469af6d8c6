// Phases sinistre_details, constat and documents: the answer to the pending detail question.
// A correction of an earlier fact is applied first; an answer also fills the other facts it
// states in passing.
import { applyCorrections } from '../corrections';
import { absorbMentions, setLiability, setPlace } from '../mentions';
import { fr } from '../messages.fr';
import { isUnsure, parseConfirmation } from '../nlu/confirm';
import { formatDateTime, parseDateTime } from '../nlu/dates';
import {
  parseAmicableReport,
  parseAmount,
  parseDocuments,
  parseInjuries,
  parsePoliceReport,
  parseReportNumber,
  parseThirdPartyInvolved,
} from '../nlu/entities';
import { liabilityLabel, readLiability } from '../nlu/liability';
import { parsePlaceParts } from '../nlu/places';
import { isCorrection } from '../nlu/intents';
import { askNext, question, type SlotStep } from '../slots';
import type { Turn } from '../turn';
import { failed } from './transfer';

export function onSlotAnswer(t: Turn, step: SlotStep, text: string): boolean {
  // "non, il y a trois jours", "non attendez, depuis avant-hier": a "non" that goes on to
  // restate a fact already known corrects it; it answers the pending question only when
  // nothing known changes
  if (isCorrection(text) || /^\s*non\b[\s,.!]+\S/i.test(text)) {
    const changes = applyCorrections(t, text, step);
    if (changes.length > 0) {
      t.say(fr.correctionApplied(changes));
      askNext(t);
      return true;
    }
  }
  if (!READ_ANSWER[step](t, text)) {
    // what it does say is kept all the same ("elle vaut environ 18 000 euros" to the documents
    // question): the question is asked again, that one is not
    absorbMentions(t, text, step);
    return failed(t, 'NOT_UNDERSTOOD', () => t.say(reprompt(t, step)));
  }
  absorbMentions(t, text, step);
  askNext(t);
  return true;
}

type Flag = 'thirdPartyInvolved' | 'injuries' | 'amicableReport' | 'policeReport' | 'documentsProvided';

/** A yes/no question: understood when the answer says yes or no about it. */
const yesNo =
  (field: Flag, parse: (text: string, mode: 'answer') => boolean | null) =>
  (t: Turn, text: string): boolean => {
    const value = parse(text, 'answer');
    if (value === null) return false;
    t.collected[field] = value;
    return true;
  };

/** Each question's reading of its answer; false = not understood. */
const READ_ANSWER: Readonly<Record<SlotStep, (t: Turn, text: string) => boolean>> = {
  ask_date: (t, text) => {
    const date = parseDateTime(text, t.now);
    if (date) t.collected.occurredLocal = formatDateTime(date);
    return date !== null;
  },
  ask_place: (t, text) => {
    const found = parsePlaceParts(text, { homeAddress: t.dialogue.profile?.address });
    if (found) {
      setPlace(t.collected, found);
      return true;
    }
    const place = freePlace(text);
    if (place) setPlace(t.collected, { text: place });
    return place !== null;
  },
  ask_third_party: yesNo('thirdPartyInvolved', parseThirdPartyInvolved),
  ask_third_party_responsible: readResponsibility,
  ask_injuries: yesNo('injuries', parseInjuries),
  ask_constat: yesNo('amicableReport', parseAmicableReport),
  ask_police: yesNo('policeReport', parsePoliceReport),
  ask_report_number: readReportNumber,
  ask_documents: yesNo('documentsProvided', parseDocuments),
  ask_amount: readAmount,
};

/** "Je ne sais pas" is an answer here: the question is not asked again. */
function readResponsibility(t: Turn, text: string): boolean {
  const liability = readLiability(text, 'answer');
  if (liability.responsible === null && (isUnsure(text) || liability.rule === 'INDETERMINEE')) {
    // not established: the advisor sees it, the question is not asked again
    t.dialogue.skipped.push('thirdPartyResponsible');
    t.collected.liabilityRule = 'INDETERMINEE';
    t.collected.liabilityLabel = liabilityLabel('INDETERMINEE', null);
    return true;
  }
  if (liability.responsible === null) return false;
  setLiability(t.collected, liability);
  return true;
}

function readReportNumber(t: Turn, text: string): boolean {
  const number = parseReportNumber(text) ?? /\b([A-Z0-9][A-Z0-9/-]{3,})\b/i.exec(text.trim())?.[1] ?? null;
  if (number && /\d/.test(number)) {
    t.collected.policeReportNumber = number;
    return true;
  }
  const declined = parseConfirmation(text) === 'no' || isUnsure(text);
  if (declined) t.dialogue.skipped.push('policeReportNumber');
  return declined;
}

function readAmount(t: Turn, text: string): boolean {
  const amount = parseAmount(text) ?? bareAmount(text);
  if (amount !== null) {
    t.collected.estimatedDamage = amount;
    return true;
  }
  const declined = isUnsure(text) || parseConfirmation(text) === 'no';
  if (declined) t.dialogue.skipped.push('estimatedDamage');
  return declined;
}

function reprompt(t: Turn, step: SlotStep): string {
  switch (step) {
    case 'ask_date':
      return fr.dateNotUnderstood();
    case 'ask_place':
      return fr.placeNotUnderstood();
    case 'ask_amount':
      return fr.amountNotUnderstood();
    case 'ask_report_number':
    case 'ask_third_party':
    case 'ask_third_party_responsible':
    case 'ask_injuries':
    case 'ask_constat':
    case 'ask_police':
    case 'ask_documents':
      return fr.yesNoNotUnderstood(question(t, step));
  }
}

/** An answer to "Où cela s'est-il passé ?" that names no street or city pattern: keep the words. */
function freePlace(text: string): string | null {
  // "pardon, pas un poteau, une voiture": a correction of something else, not a place
  if (isUnsure(text) || parseConfirmation(text) !== null || isCorrection(text)) return null;
  const place = text
    .replace(/^(c'?[ée]tait|[çc]a s'?est pass[ée]|cela s'?est pass[ée]|je suis|j'?[ée]tais|euh)\s+/i, '')
    .replace(/[.!?]+$/, '')
    .trim();
  return /[a-zà-ÿ]{3,}/i.test(place) && place.length <= 120 ? place : null;
}

function bareAmount(text: string): number | null {
  const m = /^\D*(\d{1,3}(?:[ .\u202f]\d{3})+|\d+)\D*$/.exec(text.trim());
  return m?.[1] ? Number(m[1].replace(/[ .\u202f]/g, '')) : null;
}
