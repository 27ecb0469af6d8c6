// The claim file as it fills while the client talks (seed step 4: "chaque réponse augmente CCI
// ou la complétude, construit dossier progressivement"). After each turn, once a claim exists,
// the CCI of what has been collected so far and the file's completeness are recomputed and
// kept in the collected data, so an advisor who takes over reads where the file stands.
//
// The facts a claim needs depend on its type and on what is known: the same table orders the
// bot's detail questions (slots.ts), so the bot asks exactly what the completeness counts as
// missing.
import { scoreClaim } from '@crm/cci';
import type { CollectedData, ConversationContext, FileFact, SkippableSlot, SlotStep } from './context';
import type { ClaimType } from './nlu/claim-type';
import { claimFactsOf } from './phases/decision';

export type { FileFact } from './context';

export interface Need {
  fact: FileFact;
  /** the question that collects it; null for the description's own facts */
  step: SlotStep | null;
}

const ASSAULT = /agress|arrach|braqu|violen|frapp/i;
const VANDALISM = /vandal|tag|d[ée]grad|ray[ée]|crev/i;

/** Whether a condition may still hold: known true, or not known yet (it will be asked first). */
const mayBe = (value: boolean | undefined) => value !== false;

function needsInjuries(type: ClaimType, description: string): boolean {
  if (type === 'vol') return ASSAULT.test(description);
  return type === 'collision' || type === 'incendie';
}

function needsPolice(type: ClaimType, c: CollectedData): boolean {
  switch (type) {
    case 'vol':
    case 'collision':
    case 'incendie':
      return true;
    case 'degats':
      return VANDALISM.test(c.description ?? '');
    case 'blessure':
      return mayBe(c.thirdPartyInvolved);
  }
}

/**
 * The facts this claim needs, in the order the bot asks them. A fact that depends on another
 * (the constat on a third party) counts while the other is unknown: the one it depends on comes
 * first, so the order of questions is unchanged and the list only shrinks as answers come.
 *
 * | type      | needs (besides its type and description)                                         |
 * |-----------|-----------------------------------------------------------------------------------|
 * | collision | date, place, third party, responsible (third party), injuries, constat (third party), police, documents, amount |
 * | vol       | date, place, injuries (assault only), police, report number (complaint filed), documents, amount |
 * | incendie  | date, place, third party, responsible (third party), injuries, police, documents, amount |
 * | degats    | date, place, third party, responsible (third party), constat (third party), police (vandalism only), documents, amount |
 * | blessure  | date, place, third party, responsible (third party), police (third party), documents, amount |
 */
export function claimNeeds(type: ClaimType, c: CollectedData): Need[] {
  const needs: Need[] = [
    { fact: 'claimType', step: null },
    { fact: 'description', step: null },
    { fact: 'occurredLocal', step: 'ask_date' },
    { fact: 'location', step: 'ask_place' },
  ];
  const add = (when: boolean, fact: FileFact, step: SlotStep) => {
    if (when) needs.push({ fact, step });
  };
  const theft = type === 'vol';
  add(!theft, 'thirdPartyInvolved', 'ask_third_party');
  // a theft does not ask about a third party: responsibility only when one was said
  const thirdParty = theft ? c.thirdPartyInvolved === true : mayBe(c.thirdPartyInvolved);
  add(thirdParty, 'thirdPartyResponsible', 'ask_third_party_responsible');
  add(needsInjuries(type, c.description ?? ''), 'injuries', 'ask_injuries');
  add((type === 'collision' || type === 'degats') && thirdParty, 'amicableReport', 'ask_constat');
  add(needsPolice(type, c), 'policeReport', 'ask_police');
  add(theft && mayBe(c.policeReport), 'policeReportNumber', 'ask_report_number');
  add(true, 'documentsProvided', 'ask_documents');
  add(true, 'estimatedDamage', 'ask_amount');
  return needs;
}

/** The questions the client declined ("je ne sais pas"): answered, not asked again. */
const DECLINABLE: Partial<Record<FileFact, SkippableSlot>> = {
  thirdPartyResponsible: 'thirdPartyResponsible',
  policeReportNumber: 'policeReportNumber',
  estimatedDamage: 'estimatedDamage',
};

const FILE_FACTS: readonly FileFact[] = [
  'claimType',
  'description',
  'occurredLocal',
  'location',
  'thirdPartyInvolved',
  'thirdPartyResponsible',
  'injuries',
  'amicableReport',
  'policeReport',
  'policeReportNumber',
  'documentsProvided',
  'estimatedDamage',
];

const has = (c: CollectedData, fact: FileFact): boolean => {
  const value = c[fact];
  return value !== undefined && value !== '';
};

/** Known, or the client declined the question (nothing more to ask). */
export function isSettled(c: CollectedData, skipped: readonly SkippableSlot[], fact: FileFact): boolean {
  const declinable = DECLINABLE[fact];
  return has(c, fact) || (declinable !== undefined && skipped.includes(declinable));
}

export interface FileProgress {
  /** 0-100, rounded down: settled facts over the facts the file counts. */
  completeness: number;
  /** Needed and not settled, in the order the bot asks them. */
  missing: FileFact[];
}

/**
 * Completeness = settled / counted, where counted = the facts the claim type needs given what is
 * known (claimNeeds) plus any other fact already collected (an injury said during a theft), and
 * settled = counted facts that are known or whose question the client declined. A new answer
 * adds a settled fact or removes a fact no longer needed, so the share never goes down while the
 * client answers (a correction of the claim type recomputes everything).
 */
export function fileProgress(
  type: ClaimType,
  c: CollectedData,
  skipped: readonly SkippableSlot[],
): FileProgress {
  const needed = new Set(claimNeeds(type, c).map((n) => n.fact));
  const counted = FILE_FACTS.filter((f) => needed.has(f) || has(c, f));
  const settled = counted.filter((f) => isSettled(c, skipped, f));
  return {
    completeness: Math.floor((100 * settled.length) / counted.length),
    missing: counted.filter((f) => !settled.includes(f)),
  };
}

/**
 * Recomputes the CCI of the facts collected so far and the completeness, into the collected
 * data (cci_score, cci_facteurs, completude, faits_manquants). Nothing before a claim exists;
 * the decision's own score (same facts, same policy) replaces it at the end.
 */
export function refreshFile(context: ConversationContext, now: Date): void {
  const c = context.collected;
  if (!c.claimType) return;
  const cci = scoreClaim(claimFactsOf(context, now));
  c.cciScore = cci.score;
  c.cciFactors = cci.factors.map((f) => ({ code: f.code, label: f.label, points: f.points }));
  const progress = fileProgress(c.claimType, c, context.dialogue.skipped);
  c.completeness = progress.completeness;
  c.missingFacts = progress.missing;
}
