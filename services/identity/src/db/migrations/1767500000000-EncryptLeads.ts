import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same names as
// LeadRepository's leadField() (each value's additional data and the e-mail's blind index)
const COLUMNS = ['email', 'phone', 'name'] as const;
const leadField = (column: string) => `leads.${column}`;
const EMAIL_INDEX = leadField('email');
const BATCH = 500;

type ClearRow = Record<(typeof COLUMNS)[number], string | null> & { id: string; email: string };

/**
 * Issue 18: a lead's e-mail, phone and name become ciphertexts under a data key of the lead's
 * own (docs/privacy.md), as the clients' did. The e-mail was the primary key: each lead gets a
 * random id (its key's subject, saying nothing about the person) as the key instead, and the
 * e-mail's keyed blind index takes its uniqueness, so the lead is still found, and still one per
 * e-mail. The format checks on clear values go (inputs are normalized before encryption), every
 * existing row is encrypted in place in this migration's transaction, and a check keeps clear
 * text out from now on.
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Not reversible: going back would write the data in clear again.
 */
export function encryptLeadsMigration(wrapper: KeyWrapper) {
  return class EncryptLeads1767500000000 implements MigrationInterface {
    name = 'EncryptLeads1767500000000';

    async up(q: QueryRunner): Promise<void> {
      // the random ids first, as the primary key: each batch and each update below is an index
      // lookup (by e-mail, the key being rewritten, each batch would scan the table)
      await q.query(`
        alter table leads
          drop constraint leads_email_lower_check,
          drop constraint leads_phone_e164_check,
          drop constraint leads_pkey`);
      await q.query(`
        alter table leads
          alter column email type text,
          alter column phone type text,
          alter column name type text,
          add column id uuid not null default gen_random_uuid(),
          add column email_bidx varchar(64)`);
      await q.query(
        `alter table leads add constraint leads_pkey primary key (id), alter column id drop default`,
      );

      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await q.query(
          `select id, ${COLUMNS.join(', ')} from leads where id > $1 order by id limit $2`,
          [after, BATCH],
        )) as ClearRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const { id } = row;
          const writer = await vault.writer(id);
          const values = COLUMNS.map((c) => {
            const value = row[c];
            return value === null || isFieldCiphertext(value) ? value : writer.encrypt(leadField(c), value);
          });
          await q.query(
            `update leads set ${COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')},
               email_bidx = $${COLUMNS.length + 2}
             where id = $1`,
            [id, ...values, await vault.blindIndex(EMAIL_INDEX, row.email)],
          );
        }
        after = rows[rows.length - 1]!.id;
      }

      await q.query(`
        alter table leads
          alter column email_bidx set not null,
          add constraint leads_email_bidx_key unique (email_bidx),
          add constraint leads_personal_encrypted_check check (
            email like 'pd1:%' and (phone is null or phone like 'pd1:%') and (name is null or name like 'pd1:%'))`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error('EncryptLeads1767500000000 is not reversible: it would write personal data in clear'),
      );
    }
  };
}
