// What the CCI is computed from: the answers collected by the bot (seed, "Flux
// Conversationnel" steps 3-4) or the columns of a recorded claim (seed table `sinistres`).
import { CciError } from './errors';

export type ClaimType = 'collision' | 'vol' | 'incendie' | 'degats' | 'blessure';
export const CLAIM_TYPES: readonly ClaimType[] = Object.freeze([
  'collision',
  'vol',
  'incendie',
  'degats',
  'blessure',
]);

export type ContractStatus = 'actif' | 'suspendu' | 'résilié' | 'inconnu';
export const CONTRACT_STATUSES: readonly ContractStatus[] = Object.freeze([
  'actif',
  'suspendu',
  'résilié',
  'inconnu',
]);

/**
 * Facts about one claim. An absent field (or `null` coming from a nullable column) means
 * "not known yet" and contributes no points: the score reflects what has been declared.
 * A caller that knows a fact is unknown says so explicitly (e.g. contractStatus 'inconnu').
 */
export interface ClaimFacts {
  claimType: ClaimType;
  injuries?: boolean;
  thirdPartyInvolved?: boolean;
  /** The OTHER party is responsible (the insurer will have a recourse against them). */
  thirdPartyResponsible?: boolean;
  /** Constat amiable filled in. */
  amicableReport?: boolean;
  /** Police intervened / procès-verbal (for a theft: the complaint, dépôt de plainte). */
  policeReport?: boolean;
  /** EUR. */
  estimatedDamage?: number;
  /** Photos / documents available. */
  documentsProvided?: boolean;
  contractStatus?: ContractStatus;
  /** The contract's guarantees cover this claim type. */
  coverageApplies?: boolean;
  priorClaimsLast12Months?: number;
  /** Calendar days between the event and its declaration. */
  daysSinceEvent?: number;
}

/** A claim of type 'blessure' is an injury claim whatever the `injuries` flag says. */
export function hasInjuries(facts: ClaimFacts): boolean {
  return facts.injuries === true || facts.claimType === 'blessure';
}

/** A responsible third party is necessarily an involved one. */
export function hasThirdParty(facts: ClaimFacts): boolean {
  return facts.thirdPartyInvolved === true || facts.thirdPartyResponsible === true;
}

const BOOLEAN_FIELDS = [
  'injuries',
  'thirdPartyInvolved',
  'thirdPartyResponsible',
  'amicableReport',
  'policeReport',
  'documentsProvided',
  'coverageApplies',
] as const satisfies readonly (keyof ClaimFacts)[];

/**
 * Rejects facts no policy can score meaningfully. Facts often come from JSON or from
 * PostgreSQL (a DECIMAL arrives as a string), where a silent mis-score would be worse than
 * an error: '12000.00' must not quietly count as "no damage estimate".
 */
export function assertValidFacts(facts: unknown): asserts facts is ClaimFacts {
  if (typeof facts !== 'object' || facts === null) {
    throw new CciError('CCI.INVALID_FACTS', ['facts must be an object']);
  }
  const f = facts as Record<string, unknown>;
  const problems: string[] = [];
  if (!CLAIM_TYPES.includes(f.claimType as ClaimType)) {
    problems.push(`claimType must be one of ${CLAIM_TYPES.join(', ')} (got ${describe(f.claimType)})`);
  }
  for (const field of BOOLEAN_FIELDS) {
    const value = f[field];
    if (value != null && typeof value !== 'boolean') {
      problems.push(`${field} must be a boolean (got ${describe(value)})`);
    }
  }
  if (f.contractStatus != null && !CONTRACT_STATUSES.includes(f.contractStatus as ContractStatus)) {
    problems.push(
      `contractStatus must be one of ${CONTRACT_STATUSES.join(', ')} (got ${describe(f.contractStatus)})`,
    );
  }
  checkNumber(f.estimatedDamage, 'estimatedDamage', false, problems);
  checkNumber(f.priorClaimsLast12Months, 'priorClaimsLast12Months', true, problems);
  checkNumber(f.daysSinceEvent, 'daysSinceEvent', false, problems);
  if (problems.length > 0) throw new CciError('CCI.INVALID_FACTS', problems);
}

function checkNumber(value: unknown, field: string, integer: boolean, problems: string[]): void {
  if (value == null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(`${field} must be a finite number >= 0 (got ${describe(value)})`);
  } else if (integer && !Number.isInteger(value)) {
    problems.push(`${field} must be an integer (got ${describe(value)})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}

/** The window of PRIOR_CLAIMS_*: the 365 days up to and including the day the claim occurred. */
export const PRIOR_CLAIMS_WINDOW_DAYS = 365;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayNumber = (day: string): number | null => {
  const m = DAY.exec(day);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000 : null;
};

/**
 * `priorClaimsLast12Months` of a claim that occurred on `occurredOn`: how many of the client's
 * other claims occurred within the 365 days up to and including that day. Days are
 * "YYYY-MM-DD", the day of each claim's date_sinistre as the claims service records it: the hour
 * does not count (a claim told as "hier soir" has none, and is recorded at the day's start), so
 * a claim of the same day counts whatever its hour. A claim after that day, or a day that does
 * not read, does not count. The claims service at the opening and the bot at its decision count
 * with this one rule, so the score the bot decided on is the claim's.
 */
export function priorClaimsLast12Months(occurredOn: string, otherClaimDays: readonly string[]): number {
  const anchor = dayNumber(occurredOn);
  if (anchor === null)
    throw new CciError('CCI.INVALID_FACTS', [`occurredOn is not a day (YYYY-MM-DD): ${occurredOn}`]);
  return otherClaimDays.filter((day) => {
    const n = dayNumber(day);
    return n !== null && n <= anchor && anchor - n <= PRIOR_CLAIMS_WINDOW_DAYS;
  }).length;
}

/**
 * `daysSinceEvent`: whole days from the day a claim occurred to the day it was declared, 0 when
 * the event is later. Days as for the prior claims ("YYYY-MM-DD", the day of date_sinistre, UTC;
 * the declaration's instant, UTC), so the bot and the claims service count the same near
 * midnight.
 */
export function daysSinceEvent(occurredOn: string, declaredOn: string): number {
  const from = dayNumber(occurredOn);
  const to = dayNumber(declaredOn);
  if (from === null || to === null)
    throw new CciError('CCI.INVALID_FACTS', [`not days (YYYY-MM-DD): ${occurredOn}, ${declaredOn}`]);
  return Math.max(0, to - from);
}
