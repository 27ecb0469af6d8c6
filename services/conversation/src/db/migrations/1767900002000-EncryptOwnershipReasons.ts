import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  isFieldCiphertext,
  PersonalDataVault,
  PgKeyStore,
  SubjectErasedError,
  type FieldWriter,
  type KeyWrapper,
} from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same field name as
// ConversationCipher, which may evolve later without changing what this did
const REASON_FIELD = 'conversation_proprietaires.raison';
const ERASED_AT_KEY = 'efface_le';
const BATCH = 500;
const FIRST = '00000000-0000-0000-0000-000000000000';

interface ChangeRow {
  id: string;
  conversation_id: string;
  raison: string;
  erased: boolean;
}

/**
 * Issue 18: the reason of each change of who answers the client (conversation_proprietaires.raison)
 * was clear text, and closing a conversation (or resolving its escalation) puts there the
 * resolution an advisor typed, his words about the client. Every existing reason is sealed in
 * place, in this migration's transaction, under its conversation's key (the key of the rest of
 * what the conversation holds about him); the reason of a conversation whose client was erased
 * (its key shredded, or its context already the erasure's marker) is emptied instead, as the
 * erasure now does. A check keeps clear reasons out from now on; the column becomes text (a
 * ciphertext is longer than the 500 characters it held).
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Not reversible: going back would write the advisors' words in clear again.
 */
export function encryptOwnershipReasonsMigration(wrapper: KeyWrapper) {
  return class EncryptOwnershipReasons1767900002000 implements MigrationInterface {
    name = 'EncryptOwnershipReasons1767900002000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`alter table conversation_proprietaires alter column raison type text`);

      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });

      // keyset on the primary key: each batch and each update is an index lookup
      for (let after = FIRST; ;) {
        const rows = (await q.query(
          `select o.id, o.conversation_id, o.raison, c.context ? '${ERASED_AT_KEY}' as erased
             from conversation_proprietaires o join conversations c on c.id = o.conversation_id
            where o.id > $1 and o.raison is not null order by o.id limit $2`,
          [after, BATCH],
        )) as ChangeRow[];
        if (rows.length === 0) break;
        // one key read per conversation of the batch (a conversation changes owner several times);
        // null: the conversation's client was erased
        const writers = new Map<string, FieldWriter | null>();
        const writerOf = async (row: ChangeRow): Promise<FieldWriter | null> => {
          if (row.erased) return null;
          if (!writers.has(row.conversation_id)) {
            try {
              writers.set(row.conversation_id, await vault.writer(row.conversation_id));
            } catch (err) {
              if (!(err instanceof SubjectErasedError)) throw err;
              writers.set(row.conversation_id, null);
            }
          }
          return writers.get(row.conversation_id)!;
        };
        for (const row of rows) {
          if (isFieldCiphertext(row.raison)) continue;
          const writer = await writerOf(row);
          await q.query(`update conversation_proprietaires set raison = $2 where id = $1`, [
            row.id,
            writer ? writer.encrypt(REASON_FIELD, row.raison) : null,
          ]);
        }
        after = rows[rows.length - 1]!.id;
      }

      await q.query(`
        alter table conversation_proprietaires add constraint conversation_proprietaires_personal_encrypted_check
          check (raison is null or raison like 'pd1:%')`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error(
          'EncryptOwnershipReasons1767900002000 is not reversible: it would write the advisors’ words in clear',
        ),
      );
    }
  };
}
