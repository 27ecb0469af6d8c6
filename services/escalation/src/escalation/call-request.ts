// CaseCallRequested (published by the claims service when a partner's CALL_REQUESTED is first
// journaled in a case) -> an entry of the queue about that case. Pure: data and `now` in.
import { isUuid } from '@crm/subgraph';
import { rejectEvent, type EventDataMap } from '@crm/events';
import { type CallRequestDetails } from './escalation.entity';
import { normalizeReasons } from './escalation.rules';

/** The reason code every call request's entry carries first. */
export const CALL_REQUESTED_REASON = 'CALL_REQUESTED';
/**
 * A request older than this when it reaches the queue is history (a backfill of past partner
 * records, a replay): it stays in the case's journal, but nobody is asked to call back now.
 * Seven days outlasts any outage the consumer could catch up from.
 */
export const CALL_REQUEST_MAX_AGE_MS = 7 * 86_400_000;

const MAX_REASON_LENGTH = 200;

export interface CallRequestInput {
  caseId: string;
  leadEmail: string;
  leadPhone: string | null;
  reasons: string[];
  requestedAt: Date;
  callBackBy: Date;
  details: CallRequestDetails;
}

/** The partner's reason as a code like the triggers': 'case_complexity' -> CASE_COMPLEXITY. */
export function reasonCode(reason: string): string {
  return reason
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_REASON_LENGTH);
}

export type CallRequestDecision =
  { kind: 'queue'; input: CallRequestInput } | { kind: 'stale'; ageMs: number };

/**
 * The entry the request asks for, or 'stale' when it is older than CALL_REQUEST_MAX_AGE_MS.
 * The schema already validated the data; a case id that is not a UUID cannot be a reference
 * the graph resolves and is refused (dead-lettered with EVENT.REJECTED, nothing lost).
 */
export function callRequestFrom(data: EventDataMap['CaseCallRequested'], now: Date): CallRequestDecision {
  if (!isUuid(data.caseId)) {
    throw rejectEvent(`CaseCallRequested: caseId ${JSON.stringify(data.caseId)} is not a UUID`);
  }
  const requestedAt = new Date(data.requestedAt);
  const ageMs = now.getTime() - requestedAt.getTime();
  if (ageMs > CALL_REQUEST_MAX_AGE_MS) return { kind: 'stale', ageMs };
  const code = reasonCode(data.reason);
  return {
    kind: 'queue',
    input: {
      caseId: data.caseId.toLowerCase(),
      leadEmail: data.leadId,
      leadPhone: data.phone,
      reasons: normalizeReasons([CALL_REQUESTED_REASON, ...(code ? [code] : [])]),
      requestedAt,
      callBackBy: new Date(data.callBackBy),
      details: {
        reason: data.reason,
        intent: data.intent,
        siteId: data.siteId,
        ...(data.name ? { name: data.name } : {}),
        ...(data.userStage ? { userStage: data.userStage } : {}),
        ...(data.notes ? { notes: data.notes } : {}),
      },
    },
  };
}
