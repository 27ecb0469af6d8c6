// The escalation queue's AdvisorAssigned, as the claims service applies it: the advisor who took
// a claim's entry is the claim's assigned advisor (sinistres.conseiller_affecte_id), the one who
// took a case's call request owns the case (cases.owner_uid). Pure: data in, decisions out.
import type { EventDataMap } from '@crm/events';

/** What an assignment names, once read: the claim or the case (never both), the advisor, when. */
export interface AdvisorAssignment {
  claimId: string | null;
  caseId: string | null;
  advisorId: string;
  assignedAt: Date;
}

/**
 * The claim or case an AdvisorAssigned (any version) is about. An entry of a conversation
 * alone (the bot's transfer before any declaration) names neither: null.
 */
export function assignmentFrom(data: EventDataMap['AdvisorAssigned']): AdvisorAssignment | null {
  const claimId = data.claimId ? data.claimId.toLowerCase() : null;
  // cases.case_id is the claims service's own text id: kept as sent
  const caseId = claimId ? null : (data.caseId ?? null);
  if (!claimId && !caseId) return null;
  return { claimId, caseId, advisorId: data.advisorId.toLowerCase(), assignedAt: new Date(data.assignedAt) };
}

/** Who holds the claim or the case now, and since when (null: nobody, or set before issue 15). */
export interface Holder {
  advisorId: string | null;
  assignedAt: Date | null;
}

export type HolderChange =
  /** an older assignment delivered late (another entry of the claim), or this one again */
  | { kind: 'keep' }
  /** written; `changed`: another advisor than before (a reassignment, or the first) */
  | { kind: 'set'; changed: boolean };

/**
 * The latest assignment wins: one older than the holder's is ignored (the entries of one claim
 * are different Kafka keys, so their events may cross; the events of one entry come in order),
 * the same one again changes nothing, a later one is written, even for the same advisor (his
 * assignment's instant moves on).
 */
export function decideHolder(
  current: Holder,
  next: Pick<AdvisorAssignment, 'advisorId' | 'assignedAt'>,
): HolderChange {
  const changed = current.advisorId?.toLowerCase() !== next.advisorId.toLowerCase();
  if (current.assignedAt) {
    const delta = next.assignedAt.getTime() - current.assignedAt.getTime();
    if (delta < 0 || (delta === 0 && !changed)) return { kind: 'keep' };
  }
  return { kind: 'set', changed };
}
