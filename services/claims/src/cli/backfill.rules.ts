// Seed 2, section 5 ("Backfill"): a legacy audit_sessions record becomes the partner messages
// a live partner would have sent (AUDIT_COMPLETED when the session has an audit,
// CHAT_SUMMARIZED when it has a summary). Pure: one line of the JSON Lines export in, the
// messages (or a coded error) out. docs/backfill.md documents the line format.
import { normalizeEmail } from '@crm/contact';
import { EventError, validatePartnerMessage } from '@crm/events';
import { z } from 'zod';

/** The `source` of every backfilled message: the journal key is sha256(source + source_id). */
export const BACKFILL_SOURCE = 'LEGACY_AUDIT_SESSIONS';

export type BackfillErrorCode = 'BACKFILL.MALFORMED_LINE' | 'BACKFILL.INVALID_LINE';

export interface BackfillMessage {
  type: 'AUDIT_COMPLETED' | 'CHAT_SUMMARIZED';
  timestamp: string;
  source: typeof BACKFILL_SOURCE;
  source_id: string;
  email: string;
  phone?: string;
  name?: string;
  intent: string;
  site_id: string;
  payload: Record<string, unknown>;
}

export type LineResult =
  | { kind: 'blank' }
  | { kind: 'messages'; key: string; messages: BackfillMessage[] }
  | { kind: 'invalid'; code: BackfillErrorCode; message: string };

const isoDate = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

const auditSchema = z.object({
  status: z.enum(['VALID', 'INVALID', 'PENDING']),
  confidence_score: z.number().min(0).max(100),
  issues: z.array(z.string()).default([]),
  missing_docs: z.array(z.string()).default([]),
  ready_for_payment: z.boolean().default(false),
});

const summarySchema = z.object({
  executive_summary: z.string(),
  strengths: z.array(z.string()).default([]),
  weaknesses: z.array(z.string()).default([]),
  action_plan: z.array(z.object({ step: z.string(), timing: z.string() })).default([]),
  visa_score: z.number().min(0).max(100),
});

// Unknown legacy fields are ignored (stripped), not errors: the export carries more than we use.
export const legacySessionSchema = z
  .object({
    // ":summary" is appended to it and source_id holds 200 characters
    session_id: text(190),
    email: z.string(),
    phone: z.string().nullish(),
    name: z.string().max(200).nullish(),
    visa_type: text(100).nullish(),
    intent: text(100).nullish(),
    site_id: text(100),
    created_at: isoDate,
    completed_at: isoDate.nullish(),
    audit: auditSchema.nullish(),
    summary: summarySchema.nullish(),
  })
  .refine((s) => Boolean(s.intent ?? s.visa_type), {
    message: 'intent or visa_type is required',
    path: ['intent'],
  });
export type LegacySession = z.infer<typeof legacySessionSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`)
    .join('; ');
}

/** The partner messages one (already validated) session stands for, audit first. */
export function sessionToMessages(session: LegacySession, email: string, phone?: string): BackfillMessage[] {
  const intent = (session.intent ?? session.visa_type)!;
  // when the session ended; a session never marked complete is dated by its start
  const timestamp = new Date(session.completed_at ?? session.created_at).toISOString();
  const name = session.name?.trim();
  const common: Omit<BackfillMessage, 'type' | 'source_id' | 'payload'> = {
    timestamp,
    source: BACKFILL_SOURCE,
    email,
    ...(phone ? { phone } : {}),
    ...(name ? { name } : {}),
    intent,
    site_id: session.site_id,
  };
  const messages: BackfillMessage[] = [];
  if (session.audit) {
    const a = session.audit;
    messages.push({
      ...common,
      type: 'AUDIT_COMPLETED',
      source_id: `${session.session_id}:audit`,
      payload: {
        visa_type: session.visa_type ?? intent,
        audit_status: a.status,
        confidence_score: a.confidence_score,
        issues: a.issues,
        missing_docs: a.missing_docs,
        ready_for_payment: a.ready_for_payment,
      },
    });
  }
  if (session.summary) {
    messages.push({
      ...common,
      type: 'CHAT_SUMMARIZED',
      source_id: `${session.session_id}:summary`,
      payload: { ...session.summary },
    });
  }
  return messages;
}

/**
 * One line of the export -> its messages, each checked against the same schemas the claims
 * consumer applies, so a line that passes here is never dead-lettered there.
 */
export function parseSessionLine(line: string): LineResult {
  if (line.trim().length === 0) return { kind: 'blank' };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return {
      kind: 'invalid',
      code: 'BACKFILL.MALFORMED_LINE',
      message: `not JSON (${(err as Error).message})`,
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { kind: 'invalid', code: 'BACKFILL.MALFORMED_LINE', message: 'not a JSON object' };
  }
  const parsed = legacySessionSchema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'invalid', code: 'BACKFILL.INVALID_LINE', message: describeIssues(parsed.error) };
  }
  const session = parsed.data;
  const email = normalizeEmail(session.email);
  if (!email)
    return { kind: 'invalid', code: 'BACKFILL.INVALID_LINE', message: 'email: not an e-mail address' };
  // as the export has it: the claims consumer reads it into E.164 like any partner's phone, and
  // an unreadable one is left out of the event and noted in the journal, never a lost line
  const phone = session.phone?.trim() || undefined;
  const messages = sessionToMessages(session, email, phone);
  for (const message of messages) {
    try {
      validatePartnerMessage(message);
    } catch (err) {
      if (!(err instanceof EventError)) throw err;
      return { kind: 'invalid', code: 'BACKFILL.INVALID_LINE', message: `${message.type}: ${err.message}` };
    }
  }
  return { kind: 'messages', key: email, messages };
}

export interface ProgressState {
  /** lines behind us, those of earlier runs (resumedFrom) included */
  done: number;
  total: number;
  resumedFrom: number;
  elapsedMs: number;
}

/** "[#####-----] 5000/10000 lines  50.0%  2500 lines/s  ETA 2s" (the rate of this run). */
export function formatProgress({ done, total, resumedFrom, elapsedMs }: ProgressState, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const rate = elapsedMs > 0 ? ((done - resumedFrom) / elapsedMs) * 1000 : 0;
  const eta = done >= total ? '0s' : rate > 0 ? formatDuration(((total - done) / rate) * 1000) : '?';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} lines  ${(ratio * 100).toFixed(1)}%  ${Math.round(rate)} lines/s  ETA ${eta}`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
