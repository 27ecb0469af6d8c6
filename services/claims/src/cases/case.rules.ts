// Seed 2's case rules, pure: which case an event belongs to (resolve_case) and what the
// case looks like after it (the projection of case.status, last_event_at...).

export const PARTNER_EVENT_TYPES = [
  'AUDIT_COMPLETED',
  'CALL_REQUESTED',
  'CHAT_SUMMARIZED',
  'APPOINTMENT_BOOKED',
] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];
/**
 * The journal entries of claims: a claim's opening (every claim has its case,
 * services/claims/README.md) and the stall timer's DELAY_EXCEEDED (journaled, not projected).
 */
export type JournalEventType = PartnerEventType | 'CLAIM_OPENED' | 'DELAY_EXCEEDED';

const DAY_MS = 86_400_000;
/** Seed 2: "Fenêtre < 30 jours". */
export const MERGE_WINDOW_MS = 30 * DAY_MS;
/** An expert call is returned within this delay of the request (next_action_at). */
export const CALL_BACK_SLA_MS = 4 * 3_600_000;

/** What decides whether two events are the same affair (seed 2). */
export interface CaseKey {
  leadId: string;
  intent: string;
  siteId: string;
}

export interface CaseCandidate extends CaseKey {
  id: string;
  /** null only for a case that never received an event (not made by this service) */
  lastEventAt: Date | null;
  createdAt: Date;
}

/**
 * Merge vs new. The event joins the case of the same lead + intent + site whose last event
 * is the closest in time, if that is strictly less than 30 days away (before or after: a
 * late event belongs to the case it was part of). Otherwise (no such case, or 30 days and
 * more) a new case. The repository already narrows the candidates to the key; the rule
 * checks it again so that it stands on its own.
 */
export function resolveCase(
  candidates: readonly CaseCandidate[],
  event: CaseKey & { at: Date },
): CaseCandidate | null {
  const eventAt = event.at;
  let best: { c: CaseCandidate; distance: number } | null = null;
  for (const c of candidates) {
    if (c.leadId !== event.leadId || c.intent !== event.intent || c.siteId !== event.siteId) continue;
    const distance = Math.abs(eventAt.getTime() - (c.lastEventAt ?? c.createdAt).getTime());
    if (distance < MERGE_WINDOW_MS && (!best || distance < best.distance)) best = { c, distance };
  }
  return best?.c ?? null;
}

export const NEW_CASE_STATUS = 'NEW';

/** Every claim has a case of its own (services/claims/README.md, "Cases of claims"). */
export const CLAIM_CASE_INTENT = 'CLAIM';
export const CLAIM_CASE_SITE = 'crm';

/** The case a new claim opens when it is linked to none: one per claim, keyed by the client. */
export function claimCaseOf(
  clientId: string,
  id: string,
  at: Date,
): CaseKey & { id: string; status: string; createdAt: Date } {
  return {
    id,
    leadId: clientId.toLowerCase(),
    intent: CLAIM_CASE_INTENT,
    siteId: CLAIM_CASE_SITE,
    status: NEW_CASE_STATUS,
    createdAt: at,
  };
}

export interface CaseProjection {
  status: string;
  lastEventAt: Date | null;
  nextActionAt: Date | null;
  confidenceScore: number | null;
}

export type JournalEvent =
  | { type: 'AUDIT_COMPLETED'; timestamp: Date; payload: { confidence_score: number } }
  | { type: 'CALL_REQUESTED'; timestamp: Date; payload: object }
  | { type: 'CHAT_SUMMARIZED'; timestamp: Date; payload: { visa_score: number } }
  | { type: 'APPOINTMENT_BOOKED'; timestamp: Date; payload: { start_time: string } }
  | { type: 'CLAIM_OPENED'; timestamp: Date; payload: object };

const score = (value: number): number => Math.min(100, Math.max(0, Math.round(value)));

/**
 * The case after one event (the table in services/claims/README.md). An event older than
 * the case's last event (a late delivery) is journaled but changes nothing here: the
 * projection follows the newest facts, whatever order they arrive in.
 */
export function projectCase(current: CaseProjection, event: JournalEvent): CaseProjection {
  if (current.lastEventAt && event.timestamp.getTime() < current.lastEventAt.getTime()) return current;
  const next: CaseProjection = { ...current, lastEventAt: event.timestamp };
  switch (event.type) {
    case 'AUDIT_COMPLETED':
      return { ...next, status: 'AUDIT_DONE', confidenceScore: score(event.payload.confidence_score) };
    case 'CALL_REQUESTED':
      // from the request itself: a request delivered late is already that much closer to overdue
      return {
        ...next,
        status: 'CALL_REQUESTED',
        nextActionAt: new Date(event.timestamp.getTime() + CALL_BACK_SLA_MS),
      };
    case 'APPOINTMENT_BOOKED':
      return { ...next, status: 'CALL_SCHEDULED', nextActionAt: new Date(event.payload.start_time) };
    case 'CHAT_SUMMARIZED':
      // a summary says how the lead stands, not where the case is: only a fresh case moves
      return {
        ...next,
        status: current.status === NEW_CASE_STATUS ? 'SUMMARIZED' : current.status,
        confidenceScore: score(event.payload.visa_score),
      };
    case 'CLAIM_OPENED':
      return { ...next, status: 'CLAIM_OPENED' };
  }
}
