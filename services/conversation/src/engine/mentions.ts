// Facts a message states in passing ("hier vers 18h, rue de la République à Lyon"): read from
// any answer, they spare the client a question. Nothing already known is overwritten.
import type { CollectedData } from './context';
import { formatDateTime, parseDateTime } from './nlu/dates';
import {
  parseAmicableReport,
  parseAmount,
  parseDocuments,
  parseInjuries,
  parsePlace,
  parsePoliceReport,
  parseReportNumber,
  parseThirdPartyInvolved,
  parseThirdPartyResponsible,
} from './nlu/entities';
import type { SlotStep } from './slots';
import type { Turn } from './turn';

type Flag = 'injuries' | 'amicableReport' | 'policeReport' | 'documentsProvided';

/** `except`: the question being answered, whose own reading has already been applied. */
export function absorbMentions(t: Turn, text: string, except?: SlotStep): void {
  const c = t.collected;
  if (except !== 'ask_date') absorbDate(c, text, t.now);
  if (except !== 'ask_place' && !c.location) {
    const place = parsePlace(text);
    if (place) c.location = place;
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

function absorbResponsibility(c: CollectedData, text: string): void {
  if (c.thirdPartyResponsible !== undefined) return;
  const responsible = parseThirdPartyResponsible(text, 'mention');
  if (responsible === null) return;
  c.thirdPartyResponsible = responsible;
  if (responsible) c.thirdPartyInvolved = true;
}

function absorbThirdParty(c: CollectedData, text: string): void {
  if (c.thirdPartyInvolved !== undefined) return;
  const involved = parseThirdPartyInvolved(text, 'mention');
  if (involved !== null) c.thirdPartyInvolved = involved;
  if (involved && c.claimType === 'collision' && parseThirdPartyResponsible(text, 'mention') === false) {
    c.thirdPartyResponsible = false;
  }
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
