// The seed's « Suivi de Dossier / Actions Affichables »: what a claim's timeline shows, derived
// from what the service already records (status history, triggers, the case journal, the
// declaration's documents) plus the entries an advisor records (recordClaimActivity). Pure:
// the resolver passes the rows, nothing here reads the database or the clock.
import type { StatusChange } from './claim-lifecycle.rules';
import type { RecordedTrigger } from './claim-triggers.rules';

export const CLAIM_ACTIVITY_KINDS = [
  'DOCUMENTS_RECEIVED',
  'EXPERTISE_IN_PROGRESS',
  'AMOUNT_VALIDATED',
  'GARAGE_APPOINTMENT',
  'LETTER_SENT',
  'ALERT',
] as const;
export type ClaimActivityKind = (typeof CLAIM_ACTIVITY_KINDS)[number];

/** What nothing else records: an advisor says it happened (recordClaimActivity). */
export const RECORDABLE_ACTIVITY_KINDS = ['DOCUMENTS_RECEIVED', 'GARAGE_APPOINTMENT', 'LETTER_SENT'] as const;
export type RecordableActivityKind = (typeof RECORDABLE_ACTIVITY_KINDS)[number];

/** French, as the seed shows them; an alert's label names its cause. */
export const ACTIVITY_LABELS: Record<Exclude<ClaimActivityKind, 'ALERT'>, string> = {
  DOCUMENTS_RECEIVED: 'Documents reçus',
  EXPERTISE_IN_PROGRESS: 'Expertise en cours',
  AMOUNT_VALIDATED: 'Montant validé',
  GARAGE_APPOINTMENT: 'Rendez-vous garage prévu',
  LETTER_SENT: 'Courrier envoyé',
};

/** The seed's two alert causes: « délai dépassé, info manquante ». */
const ALERT_LABELS: Record<string, string> = {
  DELAY_EXCEEDED: 'Alerte : délai dépassé',
  MISSING_DOCUMENTS: 'Alerte : information manquante',
  ACTION_OVERDUE: 'Alerte : délai dépassé',
};

/** One entry recorded by hand: a row of `activites_sinistre`. */
export interface RecordedActivity {
  kind: RecordableActivityKind;
  detail: string | null;
  /** ISO instant the activity happened (given, or when it was recorded) */
  at: string;
  actor: { kind: string; id: string };
  /** ISO instant it was recorded */
  recordedAt: string;
}

export interface ClaimActivity {
  kind: ClaimActivityKind;
  label: string;
  at: Date;
  detail: string | null;
}

/** The case journal's entry types the timeline shows (the loader reads only these). */
export const ACTIVITY_JOURNAL_TYPES = ['APPOINTMENT_BOOKED'] as const;

/** A journal entry of the claim's case (only the ones the timeline shows are used). */
export interface JournalEntry {
  type: string;
  timestamp: Date;
  /** null once the case's lead was erased: the entry shows without its detail */
  payload: Record<string, unknown> | null;
}

export interface ActivitySources {
  createdAt: Date;
  photoUrls: readonly string[] | null;
  statusHistory: readonly StatusChange[];
  triggers: readonly RecordedTrigger[];
  journal: readonly JournalEntry[];
  recorded: readonly RecordedActivity[];
}

const STATUS_ACTIVITY: Partial<Record<StatusChange['to'], ClaimActivityKind>> = {
  EXPERT_REVIEW: 'EXPERTISE_IN_PROGRESS',
  VALIDATION: 'AMOUNT_VALIDATED',
};

/** "2026-03-20T14:00:00Z" -> "20/03/2026 14:00 UTC"; anything unparsable is shown as sent. */
function frenchInstant(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

function appointmentDetail(payload: Record<string, unknown>): string | null {
  const start = typeof payload.start_time === 'string' ? frenchInstant(payload.start_time) : null;
  const location =
    typeof payload.location === 'string' && payload.location.trim() ? payload.location.trim() : null;
  if (start && location) return `Le ${start}, ${location}`;
  if (start) return `Le ${start}`;
  return location;
}

/** The claim's displayable activity, newest first (same instant: the later-recorded first). */
export function claimActivity(src: ActivitySources): ClaimActivity[] {
  const out: ClaimActivity[] = [];
  const photos = src.photoUrls?.length ?? 0;
  if (photos > 0)
    out.push({
      kind: 'DOCUMENTS_RECEIVED',
      label: ACTIVITY_LABELS.DOCUMENTS_RECEIVED,
      at: src.createdAt,
      detail: `${photos} photo${photos > 1 ? 's' : ''} ou document${photos > 1 ? 's' : ''} joint${photos > 1 ? 's' : ''} à la déclaration`,
    });
  for (const change of src.statusHistory) {
    const kind = STATUS_ACTIVITY[change.to];
    if (kind && kind !== 'ALERT')
      out.push({ kind, label: ACTIVITY_LABELS[kind], at: new Date(change.at), detail: change.reason });
  }
  for (const trigger of src.triggers) {
    // escalation triggers other than the delay are routing decisions, not alerts to display
    if (trigger.kind !== 'ALERT' && trigger.code !== 'DELAY_EXCEEDED') continue;
    out.push({
      kind: 'ALERT',
      label: ALERT_LABELS[trigger.code] ?? `Alerte : ${trigger.reason}`,
      at: new Date(trigger.at),
      detail: trigger.reason,
    });
  }
  for (const entry of src.journal) {
    if (entry.type !== 'APPOINTMENT_BOOKED') continue;
    out.push({
      kind: 'GARAGE_APPOINTMENT',
      label: ACTIVITY_LABELS.GARAGE_APPOINTMENT,
      at: entry.timestamp,
      detail: entry.payload === null ? null : appointmentDetail(entry.payload),
    });
  }
  for (const entry of src.recorded)
    out.push({
      kind: entry.kind,
      label: ACTIVITY_LABELS[entry.kind],
      at: new Date(entry.at),
      detail: entry.detail,
    });
  // stable sort on the reversed list: equal instants keep "later pushed = newer" first
  return out.reverse().sort((a, b) => b.at.getTime() - a.at.getTime());
}
