// Seed 2's migration step 1, « Dual Write » (issue 19): while the setting is on, the partner
// ingestion also keeps the legacy `audit_sessions` shape, so a legacy reader keeps working until
// the switch. One session per case (session_id = case_id), in exactly the shape the backfill
// reads (docs/backfill.md): the two kinds of facts the legacy collection held, the audit and the
// chat summary, each the latest received. Call requests and appointments never existed there.
// Pure: the service writes what this returns in the ingestion's transaction.

/** A row of audit_sessions: the backfill's input line, field for field. */
export interface LegacySession {
  session_id: string;
  email: string;
  phone: string | null;
  name: string | null;
  intent: string;
  visa_type: string;
  site_id: string;
  created_at: string;
  completed_at: string;
  audit: {
    status: string;
    confidence_score: number;
    issues: string[];
    missing_docs: string[];
    ready_for_payment: boolean;
  } | null;
  summary: Record<string, unknown> | null;
}

export interface LegacyInput {
  caseId: string;
  caseCreatedAt: Date;
  type: string;
  at: Date;
  email: string;
  phone: string | null;
  name: string | null;
  intent: string;
  siteId: string;
  payload: Record<string, unknown>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/**
 * The session once this event is applied, or null when the event has no legacy shape (a call
 * request, an appointment). An event older than the session's completed_at does not replace the
 * part it carries (a late delivery never rolls the legacy view back), as in the projection.
 */
export function legacySessionOf(existing: LegacySession | null, e: LegacyInput): LegacySession | null {
  if (e.type !== 'AUDIT_COMPLETED' && e.type !== 'CHAT_SUMMARIZED') return null;
  const at = e.at.toISOString();
  const base: LegacySession = existing ?? {
    session_id: e.caseId,
    email: e.email,
    phone: e.phone,
    name: e.name,
    intent: e.intent,
    visa_type: e.intent,
    site_id: e.siteId,
    created_at: e.caseCreatedAt.toISOString(),
    completed_at: at,
    audit: null,
    summary: null,
  };
  const late = existing !== null && Date.parse(existing.completed_at) > e.at.getTime();
  const next: LegacySession = {
    ...base,
    phone: e.phone ?? base.phone,
    name: e.name ?? base.name,
    completed_at: late ? base.completed_at : at,
  };
  if (e.type === 'AUDIT_COMPLETED' && !(late && base.audit)) {
    const p = e.payload;
    next.visa_type = typeof p.visa_type === 'string' && p.visa_type ? p.visa_type : base.visa_type;
    next.audit = {
      status: String(p.audit_status),
      confidence_score: Number(p.confidence_score),
      issues: strings(p.issues),
      missing_docs: strings(p.missing_docs),
      ready_for_payment: p.ready_for_payment === true,
    };
  }
  if (e.type === 'CHAT_SUMMARIZED' && !(late && base.summary)) next.summary = { ...e.payload };
  return next;
}
