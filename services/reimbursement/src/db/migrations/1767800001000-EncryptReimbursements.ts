import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same field names as
// ReimbursementCipher, which may evolve later without changing what this migration did
const REASON = 'remboursements.motif_rejet';
const OVERRIDE_REASON = 'remboursements.derogation.reason';
const BATCH = 500;

interface Row {
  id: string;
  sinistre_id: string;
  motif_rejet: string | null;
  derogation: { reason?: unknown } | null;
}

const clear = (value: unknown): value is string => typeof value === 'string' && !isFieldCiphertext(value);

/**
 * Issue 18: what a reimbursement says in words was clear text: a rejection's reason
 * (`motif_rejet`) and an advisor's justification for departing from the contract's proposal
 * (`derogation.reason`), typed by advisors and liable to name people. Both are sealed under a
 * data key per claim (subject: the claim's id, as ReimbursementCipher does); every existing row
 * is sealed in place in this migration's transaction, and a check keeps clear text out from now
 * on. `motif_rejet` becomes text (255 characters stay the input's bound).
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Not reversible: going back would write the data in clear again.
 */
export function encryptReimbursementsMigration(wrapper: KeyWrapper) {
  return class EncryptReimbursements1767800001000 implements MigrationInterface {
    name = 'EncryptReimbursements1767800001000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`alter table remboursements alter column motif_rejet type text`);
      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });
      // keyset on the primary key: each batch and each update is an index lookup
      for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
        const rows = (await q.query(
          `select id, sinistre_id, motif_rejet, derogation from remboursements where id > $1 order by id limit $2`,
          [after, BATCH],
        )) as Row[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const reason = row.derogation?.reason;
          if (!clear(row.motif_rejet) && !clear(reason)) continue;
          const writer = await vault.writer(row.sinistre_id);
          await q.query(`update remboursements set motif_rejet = $2, derogation = $3::jsonb where id = $1`, [
            row.id,
            clear(row.motif_rejet) ? writer.encrypt(REASON, row.motif_rejet) : row.motif_rejet,
            row.derogation && clear(reason)
              ? JSON.stringify({ ...row.derogation, reason: writer.encrypt(OVERRIDE_REASON, reason) })
              : row.derogation === null
                ? null
                : JSON.stringify(row.derogation),
          ]);
        }
        after = rows[rows.length - 1]!.id;
      }
      await q.query(`
        alter table remboursements add constraint remboursements_personal_encrypted_check check (
          (motif_rejet is null or motif_rejet like 'pd1:%')
          and (derogation is null or derogation->>'reason' like 'pd1:%'))`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error(
          'EncryptReimbursements1767800001000 is not reversible: it would write personal data in clear',
        ),
      );
    }
  };
}
