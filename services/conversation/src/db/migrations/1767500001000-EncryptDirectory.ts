import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same names as
// DirectoryRepository's directoryField() (each value's additional data and the matricule's
// blind index), which may evolve later without changing what this migration did
const COLUMNS = ['matricule', 'civility', 'last_name', 'first_name', 'phone'] as const;
const directoryField = (column: string) => `directory_clients.${column}`;
const MATRICULE_INDEX = directoryField('matricule');
const BATCH = 500;

type ClearRow = { client_id: string; matricule_key: string } & Record<
  (typeof COLUMNS)[number],
  string | null
>;

/**
 * Issue 18: the bot's copy of the clients (directory_clients: matricule, civility, names,
 * phone) was clear text beside identity's encrypted originals. Each value becomes a ciphertext
 * under a data key of the client's own, kept by this service (its privacy_keys; the client's
 * erasure shreds it), and the matricule is found by its keyed blind index: matricule_key, in
 * directory_clients and in auth_matricule_failures (the failures counted per matricule), holds
 * the index of the key it held. Every existing row is converted in place in this migration's
 * transaction, and a check keeps clear text out from now on.
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Not reversible: going back would write the data in clear again.
 */
export function encryptDirectoryMigration(wrapper: KeyWrapper) {
  return class EncryptDirectory1767500001000 implements MigrationInterface {
    name = 'EncryptDirectory1767500001000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        alter table directory_clients
          ${COLUMNS.map((c) => `alter column ${c} type text`).join(',\n          ')},
          alter column matricule_key type varchar(64)`);
      await q.query(`alter table auth_matricule_failures alter column matricule_key type varchar(64)`);

      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });
      const index = (key: string) =>
        key === '' ? Promise.resolve('') : vault.blindIndex(MATRICULE_INDEX, key);
      // keyset on the primary key: each batch and each update is an index lookup
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await q.query(
          `select client_id, matricule_key, ${COLUMNS.join(', ')} from directory_clients
            where client_id > $1 order by client_id limit $2`,
          [after, BATCH],
        )) as ClearRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const writer = await vault.writer(row.client_id);
          const values = COLUMNS.map((c) => {
            const value = row[c];
            return value === null || isFieldCiphertext(value)
              ? value
              : writer.encrypt(directoryField(c), value);
          });
          await q.query(
            `update directory_clients set ${COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')},
               matricule_key = $${COLUMNS.length + 2}
             where client_id = $1`,
            [row.client_id, ...values, await index(row.matricule_key)],
          );
        }
        after = rows[rows.length - 1]!.client_id;
      }

      // the failures counted per matricule: keyed by the same index from now on
      const failures = (await q.query(`select matricule_key from auth_matricule_failures`)) as {
        matricule_key: string;
      }[];
      for (const { matricule_key: key } of failures)
        await q.query(`update auth_matricule_failures set matricule_key = $1 where matricule_key = $2`, [
          await index(key),
          key,
        ]);

      await q.query(`
        alter table directory_clients add constraint directory_clients_personal_encrypted_check check (
          matricule like 'pd1:%' and last_name like 'pd1:%' and first_name like 'pd1:%'
          and (civility is null or civility like 'pd1:%') and (phone is null or phone like 'pd1:%'))`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error('EncryptDirectory1767500001000 is not reversible: it would write personal data in clear'),
      );
    }
  };
}
