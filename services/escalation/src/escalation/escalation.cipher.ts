// What the escalation queue holds about people, encrypted at rest (issue 18, docs/privacy.md): a
// partner's call request (the lead's e-mail and phone, the request's details), the number a
// client gave for a call-back, and the advisor's resolution text, under a data key of the entry's
// own (subject: the entry's id). The client's erasure shreds the keys of his entries, so every copy
// of those words (a replica, a dump, a backup) can no longer be read; the queue's record (claim,
// dates, priority, reasons, advisors) stays in clear. The one place where entries are sealed and
// opened (EscalationRepository), and where the values of their audit records are sealed.
import type { FieldChange } from '@crm/db';
import type { FieldWriter, PersonalDataVault, Sql } from '@crm/privacy';
import { sealChangedFields, sealFieldChangesIfLive } from '@crm/subgraph';
import type { CallRequestDetails, EscalationEntity } from './escalation.entity';
import type { EscalationView } from './escalation.mapping';

/** The field name bound to each ciphertext (its additional data). */
export const escalationField = (column: string): string => `escalades.${column}`;

/** The entry's text columns sealed as they are, by entity property. */
const SEALED_TEXT = {
  leadEmail: escalationField('lead_email'),
  leadPhone: escalationField('lead_telephone'),
  offeredCallBackPhone: escalationField('rappel_propose_telephone'),
  resolution: escalationField('resolution'),
} as const satisfies Partial<Record<keyof EscalationEntity, string>>;
type SealedText = keyof typeof SEALED_TEXT;
const TEXTS = Object.keys(SEALED_TEXT) as SealedText[];
const DETAILS = escalationField('details');

type Words = Pick<EscalationEntity, SealedText | 'details'>;

/**
 * What the audit records of an entry's escalation, assignment and start keep of it (docs/security.md,
 * Audit log), in the graph's vocabulary: what it is about, why and how urgent, where it stands
 * and who holds it since when. Its resolution keeps its own pair (auditResolution).
 */
export const AUDITED_ESCALATION_FIELDS = [
  'claimId',
  'clientId',
  'conversationId',
  'reasons',
  'priority',
  'status',
  'advisorId',
  'queuedAt',
  'assignedAt',
] as const satisfies readonly (keyof EscalationView)[];
const AUDIT_ENTITY = 'escalation';

const holdsWords = (row: Partial<Words>): boolean =>
  TEXTS.some((key) => row[key] != null) || row.details != null;

export class EscalationCipher {
  constructor(private readonly vault: PersonalDataVault) {}

  /**
   * The values as stored: each sealed column present sealed under the entry's key (details holds
   * one ciphertext of the JSON object, a JSON string in its jsonb column).
   */
  async seal<T extends Partial<Words>>(entryId: string, values: T, tx?: Sql): Promise<T> {
    if (!holdsWords(values)) return values;
    const writer: FieldWriter = await this.vault.writer(entryId, tx);
    const sealed: Record<string, unknown> = { ...values };
    for (const key of TEXTS) {
      const value = values[key];
      if (value != null) sealed[key] = writer.encrypt(SEALED_TEXT[key], value);
    }
    if (values.details != null) sealed.details = writer.encrypt(DETAILS, JSON.stringify(values.details));
    return sealed as T;
  }

  /** The entries with their words opened (one key query for the batch, only entries holding words). */
  async open(rows: EscalationEntity[], tx?: Sql): Promise<EscalationEntity[]> {
    const worded = rows.filter(holdsWords);
    if (!worded.length) return rows;
    const reader = await this.vault.reader(
      worded.map((r) => r.id),
      tx,
    );
    for (const row of worded) {
      for (const key of TEXTS) row[key] = reader.open(row.id, SEALED_TEXT[key], row[key]);
      const details = reader.open(row.id, DETAILS, row.details);
      row.details = details === null ? null : (JSON.parse(details) as CallRequestDetails);
    }
    return rows;
  }

  /**
   * The audit record's changes of an entry (escalated, assigned, started): each audited field
   * that differs, its old and new value sealed under the entry's key (`audit.escalation.<field>`),
   * so that the audit log holds none in clear and the client's erasure makes them unreadable with
   * the rest. None when nothing audited changed, or once the key is shredded.
   */
  auditChanges(
    before: Partial<EscalationView>,
    after: EscalationView,
    tx: Sql,
  ): Promise<Record<string, FieldChange> | null> {
    return sealChangedFields(
      this.vault,
      after.id,
      AUDIT_ENTITY,
      before,
      after,
      AUDITED_ESCALATION_FIELDS,
      tx,
    );
  }

  /**
   * An entry's resolution for its audit record (docs/security.md, Audit log): the status and the
   * resolution text, old and new, sealed under the entry's key (`audit.escalation.<field>`);
   * none once the key is shredded (the record then keeps which entity, not the words).
   */
  auditResolution(
    entryId: string,
    before: { status: string; resolution: string | null },
    after: { status: string; resolution: string | null },
    tx?: Sql,
  ): Promise<Record<string, FieldChange> | null> {
    return sealFieldChangesIfLive(
      this.vault,
      entryId,
      AUDIT_ENTITY,
      before,
      after,
      ['status', 'resolution'],
      tx,
    );
  }

  /** Crypto-shredding: every word under this entry's key becomes unreadable, wherever copied. */
  shred(entryId: string, tx: Sql): Promise<boolean> {
    return this.vault.shred(entryId, tx);
  }
}
