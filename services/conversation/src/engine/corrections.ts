// Facts the client corrects ("non, c'était avant-hier", "en fait, à Lyon"), at any question or
// at the recap. Only facts already known are corrected; a new fact is an answer, not a
// correction.
import type { CollectedData } from './context';
import { setClaimType } from './contracts';
import { type CorrectableField, describeChange } from './messages.fr';
import { type ClaimType, parseClaimType } from './nlu/claim-type';
import { formatDateTime, parseDateTime } from './nlu/dates';
import {
  parseAmicableReport,
  parseAmount,
  parseDocuments,
  parseInjuries,
  parsePoliceReport,
  parseThirdPartyInvolved,
} from './nlu/entities';
import { readLiability } from './nlu/liability';
import { parsePlaceParts } from './nlu/places';
import { words } from './nlu/text';
import { setLiability, setPlace } from './mentions';
import type { SlotStep } from './slots';
import type { Turn } from './turn';

type Flag = Extract<
  CorrectableField,
  | 'injuries'
  | 'amicableReport'
  | 'policeReport'
  | 'thirdPartyInvolved'
  | 'thirdPartyResponsible'
  | 'documentsProvided'
>;

/**
 * Overwrites the facts the message corrects, except the one the pending question (`current`)
 * asks for: that one is an answer. Returns the French description of each change.
 */
export function applyCorrections(t: Turn, text: string, current?: SlotStep): string[] {
  const c = t.collected;
  const changed: CorrectableField[] = [];
  if (current !== 'ask_date' && correctDate(c, text, t.now)) changed.push('occurredLocal');
  const place = parsePlaceParts(text, { homeAddress: t.dialogue.profile?.address });
  if (place && c.location && place.text !== c.location && current !== 'ask_place') {
    setPlace(c, place);
    changed.push('location');
  }
  const type = parseClaimType(text);
  if (type && c.claimType && type !== c.claimType && !injuryOnly(type, text)) {
    setClaimType(t, type);
    changed.push('claimType');
  }
  changed.push(...correctFlags(c, text, current));
  const amount = parseAmount(text);
  if (
    amount !== null &&
    c.estimatedDamage !== undefined &&
    amount !== c.estimatedDamage &&
    current !== 'ask_amount'
  ) {
    c.estimatedDamage = amount;
    changed.push('estimatedDamage');
  }
  return changed.map((field) => describeChange(field, c));
}

/**
 * Someone hurt, added to an accident, a fire or a theft ("ah si, ma femme s'est brûlé la
 * main"), corrects the injuries, not the claim type: "blessure" is a type only when the claim
 * is about a person hurt. The type changes when the client says it was not what he said.
 */
function injuryOnly(type: ClaimType, text: string): boolean {
  return (
    type === 'blessure' &&
    !/ (pas|plus) (un|une|d) (accident|vol|incendie|feu|collision|accrochage|degat|degats|fuite) /.test(
      words(text),
    )
  );
}

/** A time alone ("à 22h") corrects the hour of the day already known. */
function correctDate(c: CollectedData, text: string, now: Date): boolean {
  const date = parseDateTime(text, now);
  if (!date || !c.occurredLocal) return false;
  const value =
    date.timeOnly && c.occurredLocal.length >= 10
      ? `${c.occurredLocal.slice(0, 10)}T${date.time ?? ''}`
      : formatDateTime(date);
  if (value === c.occurredLocal) return false;
  c.occurredLocal = value;
  return true;
}

function correctFlags(c: CollectedData, text: string, current: SlotStep | undefined): Flag[] {
  const mentioned: [Flag, boolean | null, SlotStep][] = [
    ['injuries', parseInjuries(text, 'mention'), 'ask_injuries'],
    ['amicableReport', parseAmicableReport(text, 'mention'), 'ask_constat'],
    ['policeReport', parsePoliceReport(text, 'mention'), 'ask_police'],
    ['thirdPartyInvolved', parseThirdPartyInvolved(text, 'mention'), 'ask_third_party'],
    ['thirdPartyResponsible', readLiability(text, 'mention').responsible, 'ask_third_party_responsible'],
    ['documentsProvided', parseDocuments(text, 'mention'), 'ask_documents'],
  ];
  const changed: Flag[] = [];
  for (const [field, value, step] of mentioned) {
    if (value === null || step === current) continue;
    const known = c[field];
    if (typeof known === 'boolean' && known !== value) {
      if (field === 'thirdPartyResponsible') setLiability(c, readLiability(text, 'mention'));
      else c[field] = value;
      changed.push(field);
    }
  }
  return changed;
}
