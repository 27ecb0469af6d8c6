// The queue's events this service publishes, built from rows as written (schemas/events/escalation).
import { newEvent, type AnyEvent, type EscalationQueuedDataV3 } from '@crm/events';
import { type Caller } from '@crm/subgraph';
import { type AdvisorView } from '../advisor/advisor.mapping';
import { options } from '../shared/events';
import { type AssignmentMode, type EscalationView } from './escalation.mapping';

/** What the entry is about: its claim or its call request's case, and its conversation (the DB CHECK). */
function about(entry: EscalationView): { claimId?: string; caseId?: string; conversationId?: string } {
  const refs = {
    ...(entry.claimId ? { claimId: entry.claimId } : entry.caseId ? { caseId: entry.caseId } : {}),
    ...(entry.conversationId ? { conversationId: entry.conversationId } : {}),
  };
  if (!Object.keys(refs).length) throw new Error(`escalation ${entry.id}: about nothing`);
  return refs;
}

function held(entry: EscalationView): string {
  // the rules guarantee an advisor on these transitions; a miss is a bug, not a default
  if (!entry.advisorId) throw new Error(`escalation ${entry.id}: no advisor after the transition`);
  return entry.advisorId;
}

export function escalationQueued(
  entry: EscalationView,
  cciScore: number | undefined,
  by: Caller,
  at: Date,
): AnyEvent {
  // the input schema allows 1 to 10 reasons, as the event schema does
  if (entry.reasons.length < 1 || entry.reasons.length > 10) {
    throw new Error(`escalation ${entry.id}: ${entry.reasons.length} reasons`);
  }
  return newEvent(
    'EscalationQueued',
    {
      escalationId: entry.id,
      ...about(entry),
      ...(entry.leadEmail ? { leadId: entry.leadEmail } : {}),
      ...(entry.clientId ? { clientId: entry.clientId } : {}),
      priority: entry.priority,
      reasons: entry.reasons as EscalationQueuedDataV3['reasons'],
      ...(cciScore !== undefined ? { cciScore } : {}),
      queuedAt: entry.queuedAt.toISOString(),
    },
    options(entry.id, by, at),
  );
}

export function advisorAssigned(
  entry: EscalationView,
  advisor: AdvisorView,
  mode: AssignmentMode,
  previousAdvisorId: string | null,
  by: Caller,
  at: Date,
): AnyEvent {
  return newEvent(
    'AdvisorAssigned',
    {
      escalationId: entry.id,
      ...about(entry),
      ...(entry.clientId ? { clientId: entry.clientId } : {}),
      advisorId: advisor.id,
      advisorName: advisor.name,
      ...(previousAdvisorId ? { previousAdvisorId } : {}),
      mode,
      assignedAt: (entry.assignedAt ?? at).toISOString(),
    },
    options(entry.id, by, at),
  );
}

export function escalationStarted(entry: EscalationView, by: Caller, at: Date): AnyEvent {
  return newEvent(
    'EscalationStarted',
    {
      escalationId: entry.id,
      ...about(entry),
      advisorId: held(entry),
      startedAt: at.toISOString(),
    },
    options(entry.id, by, at),
  );
}

export function escalationResolved(entry: EscalationView, by: Caller, at: Date): AnyEvent {
  return newEvent(
    'EscalationResolved',
    {
      escalationId: entry.id,
      ...about(entry),
      advisorId: held(entry),
      // none when the entry's person was erased before: nothing to seal, no key asked
      ...(entry.resolution !== null ? { resolution: entry.resolution } : {}),
      resolvedAt: (entry.resolvedAt ?? at).toISOString(),
    },
    options(entry.id, by, at),
  );
}
