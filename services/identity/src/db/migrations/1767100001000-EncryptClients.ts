import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same names as
// ClientRepository's ENCRYPTED_CLIENT_COLUMNS and clientField() (each value's AAD), which may
// evolve later without changing what this migration did
const COLUMNS = [
  'matricule',
  'civilite',
  'nom',
  'prenom',
  'date_naissance',
  'email',
  'telephone',
  'adresse',
  'code_postal',
  'ville',
] as const;
const clientField = (column: string) => `clients.${column}`;
const MATRICULE_INDEX = clientField('matricule');
const EMAIL_INDEX = clientField('email');
const BATCH = 500;

type ClearRow = { id: string; statut: string } & Record<(typeof COLUMNS)[number], string | null>;

/**
 * Issue 18: the clients' personal columns become ciphertexts under each client's data key
 * (docs/privacy.md). The columns turn to text (date_naissance too), the format checks that
 * read clear values go (the inputs are validated before encryption), the matricule's
 * uniqueness moves to its blind index, and every existing row is encrypted in place, in
 * batches, in this migration's transaction. Clients erased before this migration hold no
 * personal data (markers only): their key is a tombstone at once. A check keeps clear text out
 * of live rows from now on.
 *
 * A class made per master key ring: encrypting needs the wrapper, which comes from the
 * service's configuration. Not reversible: going back would write the data in clear again.
 */
export function encryptClientsMigration(wrapper: KeyWrapper) {
  return class EncryptClients1767100001000 implements MigrationInterface {
    name = 'EncryptClients1767100001000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        alter table clients
          drop constraint clients_matricule_format_check,
          drop constraint clients_telephone_e164_check,
          drop constraint clients_email_lower_check,
          drop constraint clients_matricule_key`);
      await q.query(`drop index idx_clients_matricule`);
      await q.query(`
        alter table clients
          ${COLUMNS.map((c) =>
            c === 'date_naissance'
              ? `alter column ${c} type text using to_char(${c}, 'YYYY-MM-DD')`
              : `alter column ${c} type text`,
          ).join(',\n          ')},
          add column matricule_bidx varchar(64),
          add column email_bidx varchar(64)`);

      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await q.query(
          `select id, statut, ${COLUMNS.join(', ')} from clients where id > $1 order by id limit $2`,
          [after, BATCH],
        )) as ClearRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          if (row.statut === 'supprimé') {
            await vault.shred(row.id, q);
            continue;
          }
          const writer = await vault.writer(row.id);
          const values = COLUMNS.map((c) => {
            const value = row[c];
            return value === null || isFieldCiphertext(value) ? value : writer.encrypt(clientField(c), value);
          });
          await q.query(
            `update clients set ${COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')},
               matricule_bidx = $${COLUMNS.length + 2}, email_bidx = $${COLUMNS.length + 3}
             where id = $1`,
            [
              row.id,
              ...values,
              await vault.blindIndex(MATRICULE_INDEX, row.matricule!),
              row.email === null ? null : await vault.blindIndex(EMAIL_INDEX, row.email),
            ],
          );
        }
        after = rows[rows.length - 1]!.id;
      }

      await q.query(`alter table clients add constraint clients_matricule_bidx_key unique (matricule_bidx)`);
      await q.query(`create index idx_clients_email_bidx on clients (email_bidx)`);
      await q.query(`
        alter table clients add constraint clients_personal_encrypted_check check (
          statut = 'supprimé' or (
            matricule_bidx is not null
            ${COLUMNS.map((c) => `and (${c} is null or ${c} like 'pd1:%')`).join('\n            ')}))`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error('EncryptClients1767100001000 is not reversible: it would write personal data in clear'),
      );
    }
  };
}
