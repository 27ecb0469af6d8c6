import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isFieldCiphertext, PersonalDataVault, PgKeyStore, type KeyWrapper } from '@crm/privacy';

// frozen here, as the schema was when this migration was written: the same field names and
// context split as ConversationCipher, which may evolve later without changing what this did
const CONTEXT_FIELD = 'conversations.context';
const TEXT_FIELD = 'historique_conversation.texte';
const STT_FIELD = 'historique_conversation.texte_stt';
const METADATA_FIELD = 'historique_conversation.metadata';
const SEALED_KEY = 'scelle';
const ERASED_AT_KEY = 'efface_le';
const CLEAR_CONTEXT_KEYS = ['conversation_id', 'sinistre_id', 'client_id', 'phase_actuelle'];
const BATCH = 500;
const FIRST = '00000000-0000-0000-0000-000000000000';

interface ConversationRow {
  id: string;
  context: Record<string, unknown>;
}

interface MessageRow {
  id: string;
  conversation_id: string | null;
  sinistre_id: string | null;
  texte: string | null;
  texte_stt: string | null;
  metadata: unknown;
}

/**
 * Issue 18: what people said to the bot and to advisors (historique_conversation's texte,
 * texte_stt and metadata) and the bot's context (the facts collected, its copy of the
 * transcript, the profile it read back) were clear text. Each conversation gets a data key of
 * its own (a message posted on a claim: the claim's), every existing row is sealed in place in
 * this migration's transaction, and checks keep clear text out from now on. The erasure's
 * lookup of the conversations awaiting a client's confirmation read the (now sealed) profile:
 * it reads profil_client_id instead, filled here from the contexts, with its partial index under
 * the same name.
 *
 * A class made per master key ring (encrypting needs the wrapper, from the service's
 * configuration). Not reversible: going back would write the data in clear again.
 */
export function encryptConversationsMigration(wrapper: KeyWrapper) {
  return class EncryptConversations1767700000000 implements MigrationInterface {
    name = 'EncryptConversations1767700000000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`alter table historique_conversation alter column texte_stt type text`);
      await q.query(`alter table conversations add column profil_client_id uuid`);
      await q.query(`
        update conversations set profil_client_id = (context -> 'dialogue' -> 'profile' ->> 'clientId')::uuid
         where context -> 'dialogue' -> 'profile' ->> 'clientId' is not null`);
      await q.query(`drop index if exists idx_conversations_profile_client`);
      await q.query(
        `create index idx_conversations_profile_client on conversations (profil_client_id) where client_id is null`,
      );

      // the migration's own vault: keys written in this transaction, nothing cached
      const vault = new PersonalDataVault({ store: new PgKeyStore(q), wrapper, cacheSize: 0 });

      // keyset on the primary key: each batch and each update is an index lookup
      for (let after = FIRST; ;) {
        const rows = (await q.query(
          `select id, context from conversations where id > $1 order by id limit $2`,
          [after, BATCH],
        )) as ConversationRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          if (ERASED_AT_KEY in row.context || SEALED_KEY in row.context) continue;
          const stored: Record<string, unknown> = {};
          const sealed: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(row.context))
            if (CLEAR_CONTEXT_KEYS.includes(key)) stored[key] = value;
            else sealed[key] = value;
          const writer = await vault.writer(row.id);
          stored[SEALED_KEY] = writer.encrypt(CONTEXT_FIELD, JSON.stringify(sealed));
          await q.query(`update conversations set context = $2 where id = $1`, [row.id, stored]);
        }
        after = rows[rows.length - 1]!.id;
      }

      for (let after = FIRST; ;) {
        const rows = (await q.query(
          `select id, conversation_id, sinistre_id, texte, texte_stt, metadata from historique_conversation
            where id > $1 order by id limit $2`,
          [after, BATCH],
        )) as MessageRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const done = (value: unknown) =>
            value === null || (typeof value === 'string' && isFieldCiphertext(value));
          if (done(row.texte) && done(row.texte_stt) && done(row.metadata)) continue;
          const writer = await vault.writer(row.conversation_id ?? row.sinistre_id ?? row.id);
          const seal = (field: string, value: string | null) =>
            value === null || isFieldCiphertext(value) ? value : writer.encrypt(field, value);
          const metadata = done(row.metadata)
            ? row.metadata
            : writer.encrypt(METADATA_FIELD, JSON.stringify(row.metadata));
          await q.query(
            `update historique_conversation set texte = $2, texte_stt = $3, metadata = to_jsonb($4::text)
              where id = $1`,
            [row.id, seal(TEXT_FIELD, row.texte), seal(STT_FIELD, row.texte_stt), metadata],
          );
        }
        after = rows[rows.length - 1]!.id;
      }

      await q.query(`
        alter table historique_conversation add constraint historique_conversation_personal_encrypted_check check (
          (texte is null or texte like 'pd1:%') and (texte_stt is null or texte_stt like 'pd1:%')
          and (metadata is null or (jsonb_typeof(metadata) = 'string' and metadata #>> '{}' like 'pd1:%')))`);
      // an erased conversation's marker, or the clear ids and phase beside the sealed rest
      await q.query(`
        alter table conversations add constraint conversations_context_encrypted_check check (
          context - '${ERASED_AT_KEY}' = '{}'::jsonb
          or (context ->> '${SEALED_KEY}' like 'pd1:%'
              and context - '${SEALED_KEY}' - ${CLEAR_CONTEXT_KEYS.map((k) => `'${k}'`).join(' - ')} = '{}'::jsonb))`);
    }

    down(): Promise<void> {
      return Promise.reject(
        new Error(
          'EncryptConversations1767700000000 is not reversible: it would write personal data in clear',
        ),
      );
    }
  };
}
