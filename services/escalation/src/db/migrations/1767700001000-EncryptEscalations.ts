import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same field names as
// EscalationCipher, which may evolve later without changing what this migration did
const TEXT_COLUMNS = ['lead_email', 'lead_telephone', 'rappel_propose_telephone', 'resolution'] as const;
const field = (column: string) => `escalades.${column}`;
const BATCH = 500;

type EntryRow = { id: string; details: unknown } & Record<(typeof TEXT_COLUMNS)[number], string | null>;

const sealed = (value: unknown): boolean =>
  value === null || value === undefined || (typeof value === 'string' && isFieldCiphertext(value));

/**
 * Issue 18: what the queue holds about people was clear text: a partner call request's lead
 * (lead_email, lead_telephone) and its details (the lead's name, the request's notes), the number
 * a client gave for a call-back (rappel_propose_telephone), the advisors' resolution texts. Each
 * entry gets a data key of its own; every existing row is sealed in place in this migration's
 * transaction, and a check keeps clear text out from now on. The seed's widths (254, 20) are the
 * inputs' bounds: the columns become text, a ciphertext being longer than its value.
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Not reversible: going back would write the data in clear again.
 */
export function encryptEscalationsMigration(wrapper: KeyWrapper) {
  return class EncryptEscalations1767700001000 implements MigrationInterface {
    name = 'EncryptEscalations1767700001000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        alter table escalades
          alter column lead_email type text, alter column lead_telephone type text,
          alter column rappel_propose_telephone type text,
          drop constraint chk_escalades_details`);

      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });
      // keyset on the primary key: each batch and each update is an index lookup
      for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
        const rows = (await q.query(
          `select id, ${TEXT_COLUMNS.join(', ')}, details from escalades where id > $1 order by id limit $2`,
          [after, BATCH],
        )) as EntryRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          if (TEXT_COLUMNS.every((c) => sealed(row[c])) && sealed(row.details)) continue;
          const writer = await vault.writer(row.id);
          const seal = (column: string, value: string | null) =>
            value === null || isFieldCiphertext(value) ? value : writer.encrypt(field(column), value);
          await q.query(
            `update escalades set ${TEXT_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')},
               details = $${TEXT_COLUMNS.length + 2}::jsonb
             where id = $1`,
            [
              row.id,
              ...TEXT_COLUMNS.map((c) => seal(c, row[c])),
              row.details === null || row.details === undefined
                ? null
                : JSON.stringify(
                    sealed(row.details)
                      ? row.details
                      : writer.encrypt(field('details'), JSON.stringify(row.details)),
                  ),
            ],
          );
        }
        after = rows[rows.length - 1]!.id;
      }

      await q.query(`
        alter table escalades add constraint escalades_personal_encrypted_check check (
          ${TEXT_COLUMNS.map((c) => `(${c} is null or ${c} like 'pd1:%')`).join(' and ')}
          and (details is null or (jsonb_typeof(details) = 'string' and details #>> '{}' like 'pd1:%')))`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error('EncryptEscalations1767700001000 is not reversible: it would write personal data in clear'),
      );
    }
  };
}
