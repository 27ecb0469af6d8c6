// Facts a message states in passing ("hier vers 18h, rue de la République à Lyon"): read from
// any answer, they spare the client a question. Nothing already known is overwritten.
import type { CollectedData } from './context';
import { formatDateTime, parseDateTime } from './nlu/dates';
import {
  parseAmicableReport,
  parseAmount,
  parseDocuments,
  parseInjuries,
  parsePoliceReport,
  parseReportNumber,
  parseThirdPartyInvolved,
} from './nlu/entities';
import { type Liability, readLiability } from './nlu/liability';
import { type PlaceParts, parsePlaceParts } from './nlu/places';
import type { SlotStep } from './slots';
import type { Turn } from './turn';

type Flag = 'injuries' | 'amicableReport' | 'policeReport' | 'documentsProvided';

/** `except`: the question being answered, whose own reading has already been applied. */
export function absorbMentions(t: Turn, text: string, except?: SlotStep): void {
  const c = t.collected;
  if (except !== 'ask_date') absorbDate(c, text, t.now);
  if (except !== 'ask_place' && !c.location) {
    const place = parsePlaceParts(text, { homeAddress: t.dialogue.profile?.address });
    if (place) setPlace(c, place);
  }
  if (except !== 'ask_third_party_responsible') absorbResponsibility(c, text);
  if (except !== 'ask_third_party') absorbThirdParty(c, text);
  absorbFacts(c, text, except);
}

function absorbDate(c: CollectedData, text: string, now: Date): void {
  const date = parseDateTime(text, now);
  if (date && !c.occurredLocal && !date.timeOnly) c.occurredLocal = formatDateTime(date);
  else if (date?.timeOnly && c.occurredLocal && c.occurredLocal.length === 10) {
    // "vers 18h" completes the day already given
    c.occurredLocal = `${c.occurredLocal}T${date.time ?? ''}`;
  }
}

/** The place and its parts; parts of an earlier place are dropped. */
export function setPlace(c: CollectedData, place: PlaceParts): void {
  c.location = place.text;
  delete c.locationCity;
  delete c.locationRoad;
  delete c.locationLandmark;
  if (place.city) c.locationCity = place.city;
  if (place.road) c.locationRoad = place.road;
  if (place.landmark) c.locationLandmark = place.landmark;
}

/** tiers_responsable with the rule that decided it, so an advisor sees why. */
export function setLiability(c: CollectedData, liability: Liability): void {
  if (liability.responsible === null) return;
  c.thirdPartyResponsible = liability.responsible;
  if (liability.rule) c.liabilityRule = liability.rule;
  if (liability.label) c.liabilityLabel = liability.label;
}

function absorbResponsibility(c: CollectedData, text: string): void {
  if (c.thirdPartyResponsible !== undefined) return;
  const liability = readLiability(text, 'mention');
  if (liability.responsible === null) return;
  setLiability(c, liability);
  // someone at fault other than the client is someone else involved ("j'ai reculé dans un
  // poteau" puts the client at fault with nobody else)
  if (liability.responsible) c.thirdPartyInvolved = true;
}

function absorbThirdParty(c: CollectedData, text: string): void {
  if (c.thirdPartyInvolved !== undefined) return;
  const involved = parseThirdPartyInvolved(text, 'mention');
  if (involved !== null) c.thirdPartyInvolved = involved;
}

function absorbFacts(c: CollectedData, text: string, except: SlotStep | undefined): void {
  const flag = (step: SlotStep, field: Flag, read: () => boolean | null) => {
    if (except === step || c[field] !== undefined) return;
    const value = read();
    if (value !== null) c[field] = value;
  };
  flag('ask_injuries', 'injuries', () => parseInjuries(text, 'mention'));
  flag('ask_constat', 'amicableReport', () => parseAmicableReport(text, 'mention'));
  flag('ask_police', 'policeReport', () => parsePoliceReport(text, 'mention'));
  if (except !== 'ask_report_number' && !c.policeReportNumber) {
    const number = parseReportNumber(text);
    if (number) c.policeReportNumber = number;
  }
  flag('ask_documents', 'documentsProvided', () => parseDocuments(text, 'mention'));
  if (except !== 'ask_amount' && c.estimatedDamage === undefined) {
    const amount = parseAmount(text);
    if (amount !== null) c.estimatedDamage = amount;
  }
}
