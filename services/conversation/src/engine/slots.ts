// The claim's detail questions (phases sinistre_details, constat, documents): which one comes
// next for this claim type and what is already known, and how it is worded.
import type { CollectedData, SkippableSlot, SlotStep } from './context';
import { fr } from './messages.fr';
import type { ClaimType } from './nlu/claim-type';
import type { Turn } from './turn';

export type { SlotStep } from './context';

const skipped = (t: Turn, slot: SkippableSlot) => t.dialogue.skipped.includes(slot);

function needsInjuries(type: ClaimType, description: string): boolean {
  if (type === 'vol') return /agress|arrach|braqu|violen|frapp/i.test(description);
  return type === 'collision' || type === 'incendie';
}

function needsPolice(type: ClaimType, c: CollectedData): boolean {
  switch (type) {
    case 'vol':
    case 'collision':
    case 'incendie':
      return true;
    case 'degats':
      return /vandal|tag|d[ée]grad|ray[ée]|crev/i.test(c.description ?? '');
    case 'blessure':
      return c.thirdPartyInvolved === true;
  }
}

/** The next question for this claim type, or the recap when everything needed is known. */
function nextStep(t: Turn): SlotStep | 'confirm_recap' {
  const c = t.collected;
  const type = c.claimType ?? 'collision';
  if (!c.occurredLocal) return 'ask_date';
  if (!c.location) return 'ask_place';
  if (type !== 'vol' && c.thirdPartyInvolved === undefined) return 'ask_third_party';
  if (c.thirdPartyInvolved && c.thirdPartyResponsible === undefined && !skipped(t, 'thirdPartyResponsible')) {
    return 'ask_third_party_responsible';
  }
  if (c.injuries === undefined && needsInjuries(type, c.description ?? '')) return 'ask_injuries';
  if (c.amicableReport === undefined && (type === 'collision' || type === 'degats') && c.thirdPartyInvolved) {
    return 'ask_constat';
  }
  if (c.policeReport === undefined && needsPolice(type, c)) return 'ask_police';
  if (c.policeReport && type === 'vol' && !c.policeReportNumber && !skipped(t, 'policeReportNumber')) {
    return 'ask_report_number';
  }
  if (c.documentsProvided === undefined) return 'ask_documents';
  if (c.estimatedDamage === undefined && !skipped(t, 'estimatedDamage')) return 'ask_amount';
  return 'confirm_recap';
}

export function question(t: Turn, step: SlotStep): string {
  const type = t.collected.claimType ?? 'collision';
  switch (step) {
    case 'ask_date':
      return fr.askDate();
    case 'ask_place':
      return fr.askPlace(type);
    case 'ask_third_party':
      return fr.askThirdParty(type);
    case 'ask_third_party_responsible':
      return fr.askThirdPartyResponsible();
    case 'ask_injuries':
      return fr.askInjuries(type);
    case 'ask_constat':
      return fr.askConstat(type);
    case 'ask_police':
      return fr.askPolice(type);
    case 'ask_report_number':
      return fr.askReportNumber(type);
    case 'ask_documents':
      return fr.askDocuments(type);
    case 'ask_amount':
      return fr.askAmount();
  }
}

/** Asks the next question, or reads the recap back when nothing is missing. */
export function askNext(t: Turn): void {
  const step = nextStep(t);
  t.goTo(step);
  t.say(step === 'confirm_recap' ? fr.recap(t.collected) : question(t, step));
}
