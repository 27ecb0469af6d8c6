// Pure claim rules: claim numbers, the CCI facts a recorded claim is scored from, the
// recommended actions a fresh declaration gets, and what an update changed. No I/O, no
// clock: `now` is an argument.
import {
  CONTRACT_STATUSES,
  daysSinceEvent,
  decideClaim,
  type CciThresholds,
  type ClaimFacts,
} from '@crm/cci';
import type { CciBreakdown } from './claim.entity';
import { ACTION_PRIORITY_DB, ACTION_TYPE_DB, CLAIM_TYPE_CCI, type ClaimType } from './claim.mapping';

/**
 * SIN-<year>-<sequence, at least 6 digits>, e.g. SIN-2026-000123. The sequence is global and
 * never resets with the year, so a number is unique by its sequence part alone; the year
 * (of the declaration, UTC) is there for people reading it on a letter or over the phone.
 */
export function formatClaimNumber(declaredAt: Date, sequence: bigint | number | string): string {
  const n = BigInt(sequence);
  if (n < 1n) throw new RangeError(`claim number sequence must be positive (got ${n})`);
  return `SIN-${declaredAt.getUTCFullYear()}-${n.toString().padStart(6, '0')}`;
}

export const CLAIM_NUMBER_PATTERN = /^SIN-\d{4}-\d{6,}$/;

/**
 * The day a claim occurred, "YYYY-MM-DD", as date_sinistre holds it (UTC; a time the client did
 * not give is the day's start): what ClaimOpened says (occurredOn) and what the prior claims are
 * counted by (@crm/cci priorClaimsLast12Months).
 */
export const claimDayOf = (occurredAt: Date): string => occurredAt.toISOString().slice(0, 10);

/** The start of that day (UTC): where a claim told without its hour is recorded. */
export const startOfClaimDay = (at: Date): Date =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** Calendar days (UTC) from the event to its declaration, never negative: @crm/cci's rule, as the bot counts. */
export const daysBetween = (event: Date, declaredAt: Date): number =>
  daysSinceEvent(claimDayOf(event), claimDayOf(declaredAt));

/** The columns of a claim that the CCI reads. */
export interface ScoredClaim {
  type: ClaimType;
  occurredAt: Date;
  thirdPartyInvolved: boolean | null;
  thirdPartyResponsible: boolean | null;
  amicableReport: boolean | null;
  policeReport: boolean | null;
  /** DECIMAL as pg returns it */
  estimatedDamage: string | null;
  photoUrls: string[] | null;
}

/** Facts that have no `sinistres` column: answered during the declaration, kept in cci_breakdown. */
export interface ExtraFacts {
  injuries?: boolean | null;
  priorClaimsLast12Months: number;
  /** only when a caller knows them (the bot checked the contract); see claimFacts */
  contractStatus?: ClaimFacts['contractStatus'];
  coverageApplies?: boolean;
  /** what the bot was told when no photo URL is recorded (photo_urls null); see claimFacts */
  documentsProvided?: boolean;
}

/**
 * The @crm/cci facts of a recorded claim. Contract status and coverage are owned by identity
 * and not known to this service yet: they are left absent ("not known yet", no points)
 * rather than 'inconnu' (+20), which would push every routine claim out of the autonomous
 * band and contradict the bot's decision. README "CCI" explains.
 */
export function claimFacts(claim: ScoredClaim, extra: ExtraFacts, declaredAt: Date): ClaimFacts {
  const facts: ClaimFacts = {
    claimType: CLAIM_TYPE_CCI[claim.type],
    priorClaimsLast12Months: extra.priorClaimsLast12Months,
    daysSinceEvent: daysBetween(claim.occurredAt, declaredAt),
  };
  if (extra.injuries != null) facts.injuries = extra.injuries;
  if (extra.contractStatus != null) facts.contractStatus = extra.contractStatus;
  if (extra.coverageApplies != null) facts.coverageApplies = extra.coverageApplies;
  if (claim.thirdPartyInvolved != null) facts.thirdPartyInvolved = claim.thirdPartyInvolved;
  if (claim.thirdPartyResponsible != null) facts.thirdPartyResponsible = claim.thirdPartyResponsible;
  if (claim.amicableReport != null) facts.amicableReport = claim.amicableReport;
  if (claim.policeReport != null) facts.policeReport = claim.policeReport;
  // DECIMAL(12,2) fits a double exactly enough for band boundaries (cents are irrelevant there)
  if (claim.estimatedDamage != null) facts.estimatedDamage = Number(claim.estimatedDamage);
  // photo_urls absent = not asked yet; an empty list = asked, nothing provided
  if (claim.photoUrls != null) facts.documentsProvided = claim.photoUrls.length > 0;
  else if (extra.documentsProvided != null) facts.documentsProvided = extra.documentsProvided;
  return facts;
}

export interface RecordedScore {
  score: number;
  policyVersion: string;
  breakdown: CciBreakdown;
}

/** Scores facts with the current policy and keeps everything needed to explain or replay it. */
export function recordScore(facts: ClaimFacts, thresholds: CciThresholds, now: Date): RecordedScore {
  const decision = decideClaim(facts, { thresholds });
  return {
    score: decision.cci.score,
    policyVersion: decision.cci.policyVersion,
    breakdown: {
      factors: decision.cci.factors.map((f) => ({ code: f.code, label: f.label, points: f.points })),
      facts: { ...facts },
      handling: decision.handling,
      triggers: decision.triggers.map((t) => ({ code: t.code, reason: t.reason })),
      thresholds: { ...decision.thresholds },
      scoredAt: now.toISOString(),
    },
  };
}

/** The facts a recorded breakdown was computed from that have no column of their own. */
/**
 * `photoUrlsRecorded`: whether the claim had photo_urls when it was scored; if not, a recorded
 * documentsProvided is the declared answer (the bot's) and is kept, otherwise it was derived
 * from the list and must not outlive it.
 */
export function recordedExtraFacts(breakdown: CciBreakdown | null, photoUrlsRecorded = true): ExtraFacts {
  const facts = breakdown?.facts ?? {};
  const {
    priorClaimsLast12Months: prior,
    injuries,
    contractStatus,
    coverageApplies,
    documentsProvided,
  } = facts;
  const extra: ExtraFacts = { priorClaimsLast12Months: typeof prior === 'number' ? prior : 0 };
  if (typeof injuries === 'boolean') extra.injuries = injuries;
  if (typeof contractStatus === 'string' && (CONTRACT_STATUSES as readonly string[]).includes(contractStatus))
    extra.contractStatus = contractStatus as ClaimFacts['contractStatus'];
  if (typeof coverageApplies === 'boolean') extra.coverageApplies = coverageApplies;
  // only meaningful while photo_urls is null: a recorded list always wins (claimFacts)
  if (!photoUrlsRecorded && typeof documentsProvided === 'boolean')
    extra.documentsProvided = documentsProvided;
  return extra;
}

/** A new score says nothing new: same score, policy, decision, factors and facts. */
export function sameScore(
  next: RecordedScore,
  recorded: { cciScore: number | null; cciPolicyVersion: string | null; cciBreakdown: CciBreakdown | null },
): boolean {
  const was = recorded.cciBreakdown;
  return (
    was !== null &&
    next.score === recorded.cciScore &&
    next.policyVersion === recorded.cciPolicyVersion &&
    next.breakdown.handling === was.handling &&
    canonical(next.breakdown.factors) === canonical(was.factors) &&
    canonical(next.breakdown.facts) === canonical(was.facts)
  );
}

/** JSON with sorted keys: jsonb does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export interface NewAction {
  /** French seed values, as stored */
  type: (typeof ACTION_TYPE_DB)[keyof typeof ACTION_TYPE_DB];
  priority: (typeof ACTION_PRIORITY_DB)[keyof typeof ACTION_PRIORITY_DB];
  description: string;
}

/** Above this estimate (euros) a claim needs an expert's appraisal (cci-v1's 5 000-15 000 € band and up). */
export const EXPERTISE_DAMAGE_THRESHOLD = 5000;

/**
 * The to-do list a declaration starts with (seed: "Merci de nous envoyer le constat et les
 * photos", "Documents manquants → Alerte (pas escalade)", EXPERT = "En attente expertise").
 * Each type appears at most once. Descriptions are French: advisors read them.
 */
export function initialActions(facts: ClaimFacts, handling: CciBreakdown['handling']): NewAction[] {
  const actions: NewAction[] = [];
  if (facts.amicableReport === true) {
    actions.push({
      type: ACTION_TYPE_DB.SEND_AMICABLE_REPORT,
      priority: ACTION_PRIORITY_DB.NORMAL,
      description: 'Envoyer le constat amiable signé par les deux parties',
    });
  } else if (facts.claimType === 'collision' && facts.thirdPartyInvolved === true) {
    // without a constat, liability between the two drivers cannot be settled
    actions.push({
      type: ACTION_TYPE_DB.SEND_AMICABLE_REPORT,
      priority: ACTION_PRIORITY_DB.HIGH,
      description: 'Collision avec un tiers sans constat : faire établir et envoyer le constat amiable',
    });
  }
  if (facts.documentsProvided === false) {
    actions.push({
      type: ACTION_TYPE_DB.CLIENT_INFORMATION,
      priority: ACTION_PRIORITY_DB.HIGH,
      description: 'Documents manquants : demander les photos et pièces justificatives au client',
    });
  }
  const bigDamage = facts.estimatedDamage !== undefined && facts.estimatedDamage > EXPERTISE_DAMAGE_THRESHOLD;
  if (handling === 'EXPERT' || facts.claimType === 'incendie' || bigDamage) {
    actions.push({
      type: ACTION_TYPE_DB.EXPERT_APPRAISAL,
      priority: ACTION_PRIORITY_DB.HIGH,
      description:
        facts.claimType === 'incendie'
          ? 'Incendie : missionner un expert pour évaluer le sinistre'
          : bigDamage
            ? `Dommage estimé au-delà de ${EXPERTISE_DAMAGE_THRESHOLD} € : missionner un expert`
            : 'Missionner un expert pour évaluer le dossier',
    });
  }
  return actions;
}

/** Names of the fields whose value differs (dates by instant, lists by content). */
export function changedFields<T extends object>(before: T, patch: Partial<T>): (keyof T & string)[] {
  const changed: (keyof T & string)[] = [];
  for (const key of Object.keys(patch) as (keyof T & string)[]) {
    if (!equalValues(before[key], patch[key])) changed.push(key);
  }
  return changed;
}

function equalValues(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (a ?? null) === (b ?? null);
}
