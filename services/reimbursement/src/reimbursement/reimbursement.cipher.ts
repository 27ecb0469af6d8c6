// What a reimbursement says in words, encrypted at rest (issue 18, docs/privacy.md): a
// rejection's reason and an advisor's justification for departing from the contract's proposal,
// typed by people and liable to name people, under a data key per claim (subject: the claim's
// id, so the client's erasure shreds one key per claim of his). Amounts, dates, statuses, the
// assessment and who decided stay in clear: the insurer's record. The one place where
// reimbursements are sealed and opened (ReimbursementRepository), and where the values of their
// audit records are sealed.
import type { FieldChange } from '@crm/db';
import { SubjectErasedError, type FieldWriter, type PersonalDataVault, type Sql } from '@crm/privacy';
import { sealChangedFields } from '@crm/subgraph';
import { reimbursementError } from '../errors';
import type { ReimbursementEntity } from './reimbursement.entity';
import type { ReimbursementView } from './reimbursement.mapping';

/** The field names bound to each ciphertext (its additional data). */
export const REASON_FIELD = 'remboursements.motif_rejet';
export const OVERRIDE_REASON_FIELD = 'remboursements.derogation.reason';

/**
 * What a reimbursement's audit records keep of a change (docs/security.md, Audit log), in the
 * graph's vocabulary: what the advisor decides (status, amounts, how it is paid, when it was
 * accepted and paid) and his words (a rejection's reason, an override with its reason and the
 * amounts it departed to). Not the claim (the key's subject, named by the row), the origin (an
 * advisor's, for every mutation) nor the assessment (the service's reading of the contract,
 * never the caller's change).
 */
export const AUDITED_REIMBURSEMENT_FIELDS = [
  'status',
  'amountClaimed',
  'amountAccepted',
  'deductibleApplied',
  'paymentMethod',
  'acceptedAt',
  'paidAt',
  'rejectionReason',
  'override',
] as const satisfies readonly (keyof ReimbursementView)[];
const AUDIT_ENTITY = 'reimbursement';

type Words = Pick<ReimbursementEntity, 'claimId' | 'rejectionReason' | 'override'>;

const holdsWords = (row: Words): boolean => row.rejectionReason !== null || row.override !== null;

export class ReimbursementCipher {
  constructor(private readonly vault: PersonalDataVault) {}

  /** The words as stored: the reason, and the override's reason, sealed under the claim's key. */
  async seal<T extends Words>(row: T, tx: Sql): Promise<T> {
    if (!holdsWords(row)) return row;
    let writer: FieldWriter;
    try {
      writer = await this.vault.writer(row.claimId, tx);
    } catch (err) {
      if (err instanceof SubjectErasedError)
        throw reimbursementError('REIMBURSEMENT.CLIENT_ERASED', "this claim's policyholder was erased");
      throw err;
    }
    return {
      ...row,
      rejectionReason: writer.seal(REASON_FIELD, row.rejectionReason),
      override: row.override && {
        ...row.override,
        reason: writer.seal(OVERRIDE_REASON_FIELD, row.override.reason),
      },
    };
  }

  /**
   * The rows with their words opened, in place (one key query for the batch); an erased claim's
   * words read as null (the override keeps who decided what, without the why).
   */
  async open<T extends Words>(rows: T[], tx?: Sql): Promise<T[]> {
    const worded = rows.filter(holdsWords);
    if (!worded.length) return rows;
    const reader = await this.vault.reader(
      worded.map((r) => r.claimId),
      tx,
    );
    for (const row of worded) {
      row.rejectionReason = reader.open(row.claimId, REASON_FIELD, row.rejectionReason);
      if (row.override)
        row.override = {
          ...row.override,
          reason: reader.open(row.claimId, OVERRIDE_REASON_FIELD, row.override.reason),
        };
    }
    return rows;
  }

  /**
   * The audit record's changes of a reimbursement: each audited field that differs, its old and
   * new value sealed under its claim's key like its words (`audit.reimbursement.<field>`), so
   * the client's erasure makes them unreadable with the rest. None when nothing audited changed,
   * or when the claim's key is shredded (the record then keeps which entity, not the values).
   */
  auditChanges(
    before: Partial<ReimbursementView>,
    after: ReimbursementView,
    tx: Sql,
  ): Promise<Record<string, FieldChange> | null> {
    return sealChangedFields(
      this.vault,
      after.claimId,
      AUDIT_ENTITY,
      before,
      after,
      AUDITED_REIMBURSEMENT_FIELDS,
      tx,
    );
  }

  /** Crypto-shredding: every word under this claim's key becomes unreadable, wherever copied. */
  shred(claimId: string, tx: Sql): Promise<boolean> {
    return this.vault.shred(claimId, tx);
  }
}
