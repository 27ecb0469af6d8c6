// The claim's detail questions (phases sinistre_details, constat, documents): which one comes
// next for this claim type and what is already known (the needs of progress.ts, in order), and
// how it is worded.
import type { SlotStep } from './context';
import { fr } from './messages.fr';
import { claimNeeds, isSettled } from './progress';
import type { Turn } from './turn';

export type { SlotStep } from './context';

/** The next question for this claim type, or the recap when everything needed is known. */
function nextStep(t: Turn): SlotStep | 'confirm_recap' {
  const c = t.collected;
  const need = claimNeeds(c.claimType ?? 'collision', c).find(
    (n) => n.step !== null && !isSettled(c, t.dialogue.skipped, n.fact),
  );
  return need?.step ?? 'confirm_recap';
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
      return fr.askAmount(type);
  }
}

/** Asks the next question, or reads the recap back when nothing is missing. */
export function askNext(t: Turn): void {
  const step = nextStep(t);
  t.goTo(step);
  t.say(step === 'confirm_recap' ? fr.recap(t.collected) : question(t, step));
}
