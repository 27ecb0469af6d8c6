// The escalation queue's rules (seed, "Système d'Escalade" and "Flux Escalade"): who is
// served first, who may take an entry, and when an entry can be resolved. Pure: data and
// `now` in, decisions out.
import { DomainError } from '@crm/subgraph';
import { type AdvisorStatus, type AssignmentMode, type EscalationStatus } from '../mapping';

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
    throw new DomainError('ESCALATION.ALREADY_RESOLVED', 'this escalation is already resolved');
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
    throw new DomainError('ESCALATION.ADVISOR_UNAVAILABLE', 'the advisor is on a break', {
      advisorId: advisor.id,
      status: advisor.status,
    });
  }
  if (advisor.activeClaims >= advisor.capacity) {
    throw new DomainError('ESCALATION.ADVISOR_AT_CAPACITY', 'the advisor already holds a full load', {
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
    throw new DomainError(
      'ESCALATION.NOT_ASSIGNED',
      'assign the escalation to an advisor before starting it',
    );
  }
  return entry.status === 'ASSIGNED';
}

/** Only an entry someone holds can be resolved (the resolution is that advisor's). */
export function checkResolvable(entry: EntryState): void {
  if (entry.status === 'RESOLVED') {
    throw new DomainError('ESCALATION.ALREADY_RESOLVED', 'this escalation is already resolved');
  }
  if (!entry.advisorId || entry.status === 'WAITING') {
    throw new DomainError(
      'ESCALATION.NOT_ASSIGNED',
      'assign the escalation to an advisor before resolving it',
    );
  }
}

/**
 * The advisor automatic assignment would pick (issue 5): available, with room, least loaded
 * relative to capacity, then longest registered (stable). Undefined when nobody can take it.
 */
export function pickAdvisor<A extends AdvisorLoad & { createdAt: Date }>(
  advisors: readonly A[],
): A | undefined {
  return advisors
    .filter((a) => a.status === 'AVAILABLE' && a.activeClaims < a.capacity)
    .sort(
      (a, b) =>
        a.activeClaims / a.capacity - b.activeClaims / b.capacity ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.id < b.id ? -1 : 1),
    )[0];
}
