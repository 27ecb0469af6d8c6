// The escalation queue's rules (seed, "Système d'Escalade" and "Flux Escalade"): who is
// served first, who may take an entry, and when an entry can be resolved. Pure: data and
// `now` in, decisions out.
import { AuthError, hasRole, type Principal } from '@crm/auth';
import { type AdvisorStatus } from '../advisor/advisor.mapping';
import { type AssignmentMode, type EscalationStatus } from './escalation.mapping';
import { escalationError } from '../errors';

/** Reason codes that mean bodily injury (the @crm/cci trigger is INJURIES). */
const INJURY_REASONS = new Set(['INJURIES', 'INJURY', 'BLESSURE', 'BLESSURES']);
/** The @crm/cci trigger for a score above the escalation threshold (seed: CCI > 60). */
export const CCI_REASON = 'CCI_ABOVE_THRESHOLD';
/** What CCI_ABOVE_THRESHOLD implies when the score itself was not sent: the seed's 60, plus one. */
const CCI_IMPLIED_BY_REASON = 61;

/** Trimmed, without duplicates (case-insensitive), first spelling kept, in the order given. */
export function normalizeReasons(reasons: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of reasons) {
    const reason = raw.trim();
    const key = reason.toUpperCase();
    if (!reason || seen.has(key)) continue;
    seen.add(key);
    out.push(reason);
  }
  return out;
}

export const hasInjuries = (reasons: readonly string[]): boolean =>
  reasons.some((r) => INJURY_REASONS.has(r.trim().toUpperCase()));

/**
 * Queue priority, 0-100, higher first. Injuries come first whatever the score (51-100),
 * then the CCI orders claims within each band (0-50 without injuries); equal priorities are
 * served by waiting time (queueOrder). The bands never overlap, so a 100-point claim without
 * injuries still waits behind any injury claim.
 */
export function escalationPriority(input: { reasons: readonly string[]; cciScore?: number | null }): number {
  const score =
    input.cciScore ??
    (input.reasons.some((r) => r.trim().toUpperCase() === CCI_REASON) ? CCI_IMPLIED_BY_REASON : 0);
  const cci = Math.min(100, Math.max(0, Math.round(score)));
  return hasInjuries(input.reasons) ? 51 + Math.floor((cci * 49) / 100) : Math.floor(cci / 2);
}

export interface QueuedEntry {
  id: string;
  priority: number;
  queuedAt: Date;
}

/** The queue's order: priority (high first), then waiting time (oldest first), then id. */
export function queueOrder(a: QueuedEntry, b: QueuedEntry): number {
  return (
    b.priority - a.priority ||
    a.queuedAt.getTime() - b.queuedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface EntryState {
  status: EscalationStatus;
  advisorId: string | null;
}

export interface AdvisorLoad {
  id: string;
  status: AdvisorStatus;
  activeClaims: number;
  capacity: number;
}

/** A resolved entry is closed for good: escalating the claim again opens a new entry. */
export function checkAssignable(entry: EntryState): void {
  if (entry.status === 'RESOLVED') {
    throw escalationError('ESCALATION.ALREADY_RESOLVED', 'this escalation is already resolved');
  }
}

export type AssignmentDecision =
  { kind: 'unchanged' } | { kind: 'assign'; mode: AssignmentMode; previousAdvisorId: string | null };

/**
 * May `advisor` take `entry`? An advisor on a break takes nothing; a busy one (on a call)
 * can still be given work by hand. Capacity counts open entries held (nb_dossiers_actifs).
 */
export function decideAssignment(
  entry: EntryState,
  advisor: AdvisorLoad,
  mode: 'AUTO' | 'MANUAL' = 'MANUAL',
): AssignmentDecision {
  checkAssignable(entry);
  if (entry.advisorId === advisor.id) return { kind: 'unchanged' };
  if (advisor.status === 'ON_BREAK') {
    throw escalationError('ESCALATION.ADVISOR_UNAVAILABLE', 'the advisor is on a break', {
      advisorId: advisor.id,
      status: advisor.status,
    });
  }
  if (advisor.activeClaims >= advisor.capacity) {
    throw escalationError('ESCALATION.ADVISOR_AT_CAPACITY', 'the advisor already holds a full load', {
      advisorId: advisor.id,
      activeClaims: advisor.activeClaims,
      capacity: advisor.capacity,
    });
  }
  return {
    kind: 'assign',
    mode: entry.advisorId ? 'REASSIGNMENT' : mode,
    previousAdvisorId: entry.advisorId,
  };
}

/** The holder takes the entry up (ASSIGNED -> IN_PROGRESS); false when it already is. */
export function decideStart(entry: EntryState): boolean {
  checkAssignable(entry);
  if (entry.status === 'WAITING' || !entry.advisorId) {
    throw escalationError(
      'ESCALATION.NOT_ASSIGNED',
      'assign the escalation to an advisor before starting it',
    );
  }
  return entry.status === 'ASSIGNED';
}

/**
 * Taking up and closing an entry is its holder's work; a supervisor (or a service) may do it
 * for anyone, e.g. when the holder is away. AUTH.FORBIDDEN otherwise.
 */
export function checkHolderOrSupervisor(entry: EntryState, principal: Principal): void {
  if (hasRole(principal, 'supervisor', 'system')) return;
  if (hasRole(principal, 'advisor') && entry.advisorId === principal.sub) return;
  throw new AuthError(
    'AUTH.FORBIDDEN',
    'only the advisor holding this escalation, or a supervisor, may take it up or close it',
  );
}

/** Only an entry someone holds can be resolved (the resolution is that advisor's). */
export function checkResolvable(entry: EntryState): void {
  if (entry.status === 'RESOLVED') {
    throw escalationError('ESCALATION.ALREADY_RESOLVED', 'this escalation is already resolved');
  }
  if (!entry.advisorId || entry.status === 'WAITING') {
    throw escalationError(
      'ESCALATION.NOT_ASSIGNED',
      'assign the escalation to an advisor before resolving it',
    );
  }
}

/**
 * Which advisor specialty (conseillers.specialite; seed examples 'sinistre_complexe',
 * 'réclamation', 'info_contrat') fits which reason code. Injuries, a CCI above the threshold,
 * a responsible third party (a recourse to engage) and an overdue claim (seed: "Délai > 5
 * jours") are claims-handling work: 'sinistre_complexe'. Complaints go to 'reclamation',
 * contract questions to 'info_contrat'. Keys are normalized specialties (specialtyKey).
 */
export const REASONS_BY_SPECIALTY: Readonly<Record<string, readonly string[]>> = {
  sinistre_complexe: [
    ...INJURY_REASONS,
    CCI_REASON,
    'THIRD_PARTY_RESPONSIBLE',
    'DELAY_EXCEEDED',
    'CASE_COMPLEXITY',
  ],
  reclamation: ['COMPLAINT', 'RECLAMATION'],
  info_contrat: ['CONTRACT_INFO', 'CONTRACT_QUESTION', 'INFO_CONTRAT'],
};

/** 'Réclamation ', 'reclamation' and 'RECLAMATION' are one specialty. */
export function specialtyKey(specialty: string): string {
  return specialty
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** The reason codes (upper case) an advisor of this specialty is the right person for. */
export function reasonsForSpecialty(specialty: string | null | undefined): readonly string[] {
  return specialty ? (REASONS_BY_SPECIALTY[specialtyKey(specialty)] ?? []) : [];
}

/** Does the advisor's specialty fit at least one of the entry's reasons? */
export function specialtyMatches(specialty: string | null | undefined, reasons: readonly string[]): boolean {
  const fitting = reasonsForSpecialty(specialty);
  return fitting.length > 0 && reasons.some((r) => fitting.includes(r.trim().toUpperCase()));
}

const loadOf = (a: AdvisorLoad): number => a.activeClaims / a.capacity;

/**
 * The advisor automatic assignment gives an entry with these reasons to (issue 5): among the
 * available advisors with room, a specialty match first (a matching advisor wins over a less
 * loaded one: specialty is the point of escalating), then the least loaded relative to
 * capacity, then the longest registered, then id (stable). A non-matching advisor still takes
 * the entry when no matching one has room: a client waiting for nobody is worse. Undefined
 * when nobody can take it.
 */
export function pickAdvisor<A extends AdvisorLoad & { createdAt: Date; specialty?: string | null }>(
  advisors: readonly A[],
  reasons: readonly string[] = [],
): A | undefined {
  const match = (a: A) => (specialtyMatches(a.specialty, reasons) ? 0 : 1);
  return advisors
    .filter((a) => a.status === 'AVAILABLE' && a.activeClaims < a.capacity)
    .sort(
      (a, b) =>
        match(a) - match(b) ||
        loadOf(a) - loadOf(b) ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.id < b.id ? -1 : 1),
    )[0];
}

/**
 * The entry an advisor who just got room (became AVAILABLE, or closed an entry) takes: the
 * entries fitting the advisor's specialty first, then the queue's order (priority, waiting
 * time, id). The repository's lockNextWaitingFor runs this order in SQL (so that it can lock
 * with SKIP LOCKED); this is its specification, and the integration test checks they agree.
 */
export function pickEntry<E extends QueuedEntry & { reasons: readonly string[] }>(
  specialty: string | null | undefined,
  entries: readonly E[],
): E | undefined {
  const match = (e: E) => (specialtyMatches(specialty, e.reasons) ? 0 : 1);
  return [...entries].sort((a, b) => match(a) - match(b) || queueOrder(a, b))[0];
}

/** How far back the wait estimate looks: the first assignments of the last hour. */
export const WAIT_HISTORY_MS = 3_600_000;
/** Below this many recent waits the median says little: DEFAULT_WAIT_SECONDS stands in for it. */
export const WAIT_MIN_SAMPLES = 5;
/** One round of the queue when the last hour is too thin to tell (5 minutes). */
export const DEFAULT_WAIT_SECONDS = 300;
/**
 * An entry offered to an advisor at once (someone had room when it arrived) never waited: it
 * says nothing about how long a waiting client waits. Only first assignments at least this long
 * after queuing are samples.
 */
export const WAITED_AT_LEAST_SECONDS = 5;
/** The estimate's floor per round: a queue that moved fast in the last hour still says a minute. */
export const MIN_WAIT_SECONDS = 60;

/** What the estimate reads of the recent past (one statement for any number of entries). */
export interface WaitHistory {
  /** seconds between queuing and first assignment, of the entries first assigned in the last hour */
  waits: readonly number[];
  /** advisors AVAILABLE now: automatic assignment serves only them, each freeing slots as they close */
  availableAdvisors: number;
}

/** The median of the values (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * How long one round of the queue takes now: the median wait of the entries that waited and
 * were first assigned in the last hour (WAITED_AT_LEAST_SECONDS or more), DEFAULT_WAIT_SECONDS
 * below WAIT_MIN_SAMPLES such waits, never under MIN_WAIT_SECONDS.
 */
export function waitPerRound(history: Pick<WaitHistory, 'waits'>): number {
  const waited = history.waits.filter((w) => w >= WAITED_AT_LEAST_SECONDS);
  const typical = waited.length >= WAIT_MIN_SAMPLES ? median(waited)! : DEFAULT_WAIT_SECONDS;
  return Math.max(MIN_WAIT_SECONDS, typical);
}

/**
 * Estimated seconds before a WAITING entry at `position` (1-based, the queue's order) is taken.
 * The advisors able to take work (AVAILABLE; at least one is assumed, or nobody would ever be
 * told anything) take the head of the queue together, one entry each per round, and a round lasts
 * what a client typically waited in the last hour (waitPerRound): position 1 to k wait one
 * round, k+1 to 2k two, and so on. Rounded up to whole seconds; refreshed at every read, so it
 * moves with the queue.
 */
export function estimateWaitSeconds(position: number, history: WaitHistory): number {
  const advisors = Math.max(1, Math.floor(history.availableAdvisors));
  const rounds = Math.ceil(Math.max(1, position) / advisors);
  return Math.ceil(rounds * waitPerRound(history));
}
