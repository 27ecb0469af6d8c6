// Every query of the conversation tables. Reads run on the manager given at construction (or
// the caller's transaction, when given); writes and locks take the transaction's EntityManager.
import { type EntityManager } from 'typeorm';
import { firstPerParent, hydrator } from '@crm/db';
import type { PersonalDataVault } from '@crm/privacy';
import { type QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConversationEntity } from './conversation.entity';
import { MessageEntity } from './message.entity';
import { ERASED_AT_KEY, type ChannelValue, type PhaseValue, type StatusValue } from './conversation.mapping';
import { numbered, type NewMessage } from './message.rules';
import { ConversationCipher, isErasedMeanwhile, profileClientOf } from './conversation.cipher';
import { audioKeyOfUrl } from '../voice/voice.rules';

export interface NewConversation {
  id: string;
  clientId: string | null;
  claimId: string | null;
  reservedClaimId: string | null;
  channel: ChannelValue;
  phase: PhaseValue;
  status: StatusValue;
  context: Record<string, unknown>;
  now: Date;
}

export interface ConversationChange {
  clientId: string | null;
  claimId: string | null;
  phase: PhaseValue;
  status: StatusValue;
  context: Record<string, unknown>;
  now: Date;
}

type Scope = 'sinistre_id' | 'conversation_id';

/** Query.claimHistory: the newest 500 messages of the claim, oldest first. */
export const MAX_CLAIM_HISTORY = 500;
/** Conversation.messages and Claim.messages without `last`: the newest 500, as `last: 500`. */
export const MAX_MESSAGES = 500;
/** Client.conversations: the newest 50. */
export const MAX_CLIENT_CONVERSATIONS = 50;

/**
 * The conversations of client $1, for his erasure: bound to him, or in which the bot read him
 * back and awaits his confirmation (profil_client_id: the context's profile is sealed). Each
 * half has its index (idx_conversations_client; idx_conversations_profile_client, partial on
 * client_id IS NULL).
 */
export const CLIENT_CONVERSATIONS = `client_id = $1 OR (client_id IS NULL AND profil_client_id = $1)`;

/** A message as stored: its words sealed (ConversationCipher.sealMessages). */
type SealedMessage = Omit<NewMessage, 'text' | 'sttTranscript' | 'metadata'> & {
  text: string | null;
  sttTranscript: string | null;
  metadata: string | null;
};

/**
 * The INSERT of messages into historique_conversation, in one statement whatever their number:
 * each column's values go as one array (parameters from $`at`), unnested in the messages' order
 * (which `seq`, the insertion order, keeps). `numbering`: the n-th of k messages takes `last` - k
 * + n, `last` an expression over `from` (the row a CTE has just numbered, its last number
 * included); without it, each keeps its own.
 */
function messagesInsert(
  messages: readonly SealedMessage[],
  at: number,
  numbering?: { from: string; last: string },
): { sql: string; params: unknown[] } {
  const columns: (readonly [name: string, type: string, value: (m: SealedMessage) => unknown])[] = [
    ['id', 'uuid', (m) => m.id],
    ['sinistre_id', 'uuid', (m) => m.claimId],
    ['conversation_id', 'uuid', (m) => m.conversationId],
    ['role', 'varchar', (m) => m.role],
    ['texte', 'text', (m) => m.text],
    ['texte_stt', 'varchar', (m) => m.sttTranscript],
    ['confiance_stt', 'numeric', (m) => (m.sttConfidence === null ? null : m.sttConfidence.toFixed(2))],
    ['audio_url', 'varchar', (m) => m.audioUrl],
    ['"timestamp"', 'timestamp', (m) => m.timestamp],
    // a sealed value is a JSON string in the jsonb column, as TypeORM wrote it
    ['metadata', 'jsonb', (m) => (m.metadata === null ? null : JSON.stringify(m.metadata))],
    ['conseiller_id', 'uuid', (m) => m.advisorId],
    ...(numbering ? [] : [['sequence', 'int', (m: SealedMessage) => m.sequence] as const]),
  ];
  const arrays = columns.map(([, type], i) => `$${at + i}::${type}[]`).join(', ');
  const names = columns.map(([name]) => name);
  const values = columns.map((_, i) => `v.c${i}`);
  const sql = `INSERT INTO historique_conversation (${[...names, ...(numbering ? ['sequence'] : [])].join(', ')})
         SELECT ${[...values, ...(numbering ? [`${numbering.last} - ${messages.length} + v.n`] : [])].join(', ')}
         FROM ${numbering ? `${numbering.from}, ` : ''}unnest(${arrays}) WITH ORDINALITY
           AS v(${columns.map((_, i) => `c${i}`).join(', ')}, n)
         ORDER BY v.n`;
  return { sql, params: columns.map(([, , value]) => messages.map(value)) };
}

/**
 * Every read opens what it returns and every write seals what it stores (ConversationCipher):
 * the rows leave this class in clear, the database holds ciphertexts only.
 */
export class ConversationRepository {
  readonly cipher: ConversationCipher;
  private readonly toConversation: (row: Record<string, unknown>) => ConversationEntity;

  constructor(
    private readonly manager: EntityManager,
    vault: PersonalDataVault,
  ) {
    this.cipher = new ConversationCipher(vault);
    this.toConversation = hydrator(manager.connection, ConversationEntity);
  }

  /**
   * ClientErased: the client's conversations (those bound to him, and those in which the bot read
   * him back and awaits his confirmation) and the messages of his claims keep their dates,
   * roles, phases and links (the insurer's record that they took place), not what was said; the
   * bot's context becomes a marker, the reasons of their changes of owner are emptied; a
   * conversation still open is closed, and its version bumped so that a turn in flight fails
   * (CONVERSATION.CONCURRENT_UPDATE) rather than write it back.
   * Returns how many conversations and messages were erased, and the audio clips of those
   * messages no other message links to (the bot's voice may speak his name: the caller deletes
   * them; a clip another conversation also plays, a common sentence, stays).
   */
  async eraseClient(
    tx: EntityManager,
    clientId: string,
    at: Date,
  ): Promise<{ conversations: number; messages: number; audioKeys: string[] }> {
    // a SELECT over the UPDATE: TypeORM answers an UPDATE with [rows, count], a SELECT with rows
    const conversations = await tx.query<{ id: string }[]>(
      `WITH erased AS (
         UPDATE conversations
            SET context = jsonb_build_object($4::text, $2::text),
                status = CASE WHEN status IN ('active', 'awaiting_lookup') THEN 'completed' ELSE status END,
                proprietaire = 'cloture',
                date_modification = $3,
                version = version + 1
          WHERE ${CLIENT_CONVERSATIONS}
          RETURNING id)
       SELECT id FROM erased`,
      [clientId, at.toISOString(), at, ERASED_AT_KEY],
    );
    const ids = conversations.map((c) => c.id);
    // the reasons of their changes of owner (an advisor's resolution): under the key shredded
    // below, emptied as the messages are
    await tx.query(
      `UPDATE conversation_proprietaires SET raison = NULL
        WHERE conversation_id = ANY($1::uuid[]) AND raison IS NOT NULL`,
      [ids],
    );
    // his claims' messages too (posted on a claim, outside any conversation); the directory
    // still knows his claims: it is erased after this
    const claims = await tx.query<{ claim_id: string }[]>(
      `SELECT claim_id FROM directory_claims WHERE client_id = $1`,
      [clientId],
    );
    const claimIds = claims.map((c) => c.claim_id);
    const erased = await tx.query<{ audio_url: string | null }[]>(
      `WITH erased AS (
         UPDATE historique_conversation m
            SET texte = NULL, texte_stt = NULL, audio_url = NULL, metadata = NULL
           FROM historique_conversation before
          WHERE m.id = before.id AND (m.conversation_id = ANY($1::uuid[]) OR m.sinistre_id = ANY($2::uuid[]))
         RETURNING before.audio_url)
       SELECT audio_url FROM erased`,
      [ids, claimIds],
    );
    // and the keys: every copy of those rows (replicas, dumps, backups) is unreadable from now on
    for (const subject of [...ids, ...claimIds]) await this.cipher.shred(subject, tx);
    const urls = [...new Set(erased.flatMap((m) => (m.audio_url ? [m.audio_url] : [])))];
    const stillPlayed = new Set(
      urls.length
        ? (
            await tx.query<{ audio_url: string }[]>(
              `SELECT DISTINCT audio_url FROM historique_conversation WHERE audio_url = ANY($1::text[])`,
              [urls],
            )
          ).map((m) => m.audio_url)
        : [],
    );
    const audioKeys = urls.filter((u) => !stillPlayed.has(u)).flatMap((u) => audioKeyOfUrl(u) ?? []);
    return { conversations: ids.length, messages: erased.length, audioKeys };
  }

  async insertMessages(tx: EntityManager, clear: readonly NewMessage[]): Promise<void> {
    if (!clear.length) return;
    const insert = messagesInsert(await this.cipher.sealMessages(clear, tx), 1);
    await tx.query(insert.sql, insert.params);
  }

  /**
   * Reserves `count` numbers of the conversation's sequence (shared by its messages and its
   * ownership changes) and returns the first. The row's lock, held until the transaction ends,
   * serializes writers: numbers follow commit order per conversation, without gap.
   */
  async allocateSequences(tx: EntityManager, conversationId: string, count: number): Promise<number> {
    const [row] = await tx.query<{ last: number }[]>(
      // a SELECT over the update: TypeORM answers rows for it (an UPDATE gives [rows, count])
      `WITH bumped AS (UPDATE conversations SET dernier_seq = dernier_seq + $2 WHERE id = $1 RETURNING dernier_seq)
       SELECT dernier_seq AS last FROM bumped`,
      [conversationId, count],
    );
    if (!row) throw new Error(`conversation ${conversationId} vanished while numbering its messages`);
    return Number(row.last) - count + 1;
  }

  /** Numbers the messages of one conversation and writes them; returns them numbered. */
  async insertNumbered<T extends NewMessage>(
    tx: EntityManager,
    conversationId: string,
    messages: readonly T[],
  ): Promise<T[]> {
    if (!messages.length) return [];
    // numbered and written in one statement: the row's update (its lock, as allocateSequences)
    // and the insert that takes its numbers
    const insert = messagesInsert(await this.cipher.sealMessages(messages, tx), 3, {
      from: 'bumped',
      last: 'bumped.dernier_seq',
    });
    const [row] = await tx.query<{ last: number }[]>(
      `WITH bumped AS (UPDATE conversations SET dernier_seq = dernier_seq + $2 WHERE id = $1 RETURNING dernier_seq),
       inserted AS (${insert.sql} RETURNING 1)
       SELECT dernier_seq AS last FROM bumped`,
      [conversationId, messages.length, ...insert.params],
    );
    if (!row) throw new Error(`conversation ${conversationId} vanished while numbering its messages`);
    return numbered(messages, Number(row.last) - messages.length + 1);
  }

  async messageById(id: string): Promise<MessageEntity | null> {
    const row = await this.manager.getRepository(MessageEntity).findOneBy({ id });
    return row && (await this.cipher.openMessages([row]))[0]!;
  }

  /**
   * The audio of a message, once it exists (the voice follows the text: voice.service.ts);
   * answers the message's conversation and number (null when no such message, or when its
   * words are gone: audio made after the client's erasure emptied it is not attached again).
   */
  async setAudioUrl(
    tx: EntityManager,
    id: string,
    audioUrl: string,
  ): Promise<{ conversationId: string | null; sequence: number | null } | null> {
    const [row] = await tx.query<{ conversation_id: string | null; sequence: number | null }[]>(
      // a SELECT over the update: TypeORM answers rows for it (an UPDATE gives [rows, count])
      `WITH written AS (UPDATE historique_conversation SET audio_url = $2 WHERE id = $1 AND texte IS NOT NULL
         RETURNING conversation_id, sequence)
       SELECT conversation_id, sequence FROM written`,
      [id, audioUrl],
    );
    return row
      ? { conversationId: row.conversation_id, sequence: row.sequence === null ? null : Number(row.sequence) }
      : null;
  }

  /**
   * Messages of many claims (or conversations) in one query, chronological within each: only
   * the newest `last` of each (a window per parent keeps it one round trip and the bound per
   * parent). Callers always give a bound (MAX_MESSAGES, MAX_CLAIM_HISTORY): no list is unbounded.
   */
  async messagesOf(scope: Scope, parentIds: readonly string[], last: number): Promise<MessageEntity[]> {
    if (!parentIds.length) return [];
    const newestFirst =
      scope === 'conversation_id'
        ? 'k.sequence DESC NULLS LAST, k.timestamp DESC, k.seq DESC'
        : 'k.timestamp DESC, k.seq DESC';
    const rows = await this.manager
      .getRepository(MessageEntity)
      .createQueryBuilder('m')
      .where(
        ...firstPerParent('m', {
          table: 'historique_conversation',
          parent: scope,
          order: newestFirst,
          parentIds,
          max: last,
        }),
      )
      // a conversation's own numbers order it; a claim's history spans conversations: by time
      .orderBy(scope === 'conversation_id' ? 'm.sequence' : 'm.timestamp', 'ASC', 'NULLS FIRST')
      .addOrderBy('m.timestamp', 'ASC')
      .addOrderBy('m.seq', 'ASC')
      .getMany();
    return this.cipher.openMessages(rows);
  }

  async conversationsByIds(ids: readonly string[], tx?: EntityManager): Promise<ConversationEntity[]> {
    if (!ids.length) return [];
    const rows = await (tx ?? this.manager)
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .where('c.id IN (:...ids)', { ids })
      .getMany();
    return this.cipher.openConversations(rows, tx);
  }

  /**
   * Conversations of many claims or clients, newest first within each: at most `max` of each,
   * the newest (a window per parent: one query for the batch, the bound per parent).
   */
  async conversationsOf(
    column: 'sinistre_id' | 'client_id',
    parentIds: readonly string[],
    max: number,
  ): Promise<ConversationEntity[]> {
    if (!parentIds.length) return [];
    const rows = await this.manager
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .where(
        ...firstPerParent('c', {
          table: 'conversations',
          parent: column,
          order: 'k.date_creation DESC, k.id ASC',
          parentIds,
          max,
        }),
      )
      .orderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    return this.cipher.openConversations(rows);
  }

  async insertConversation(tx: EntityManager, c: NewConversation): Promise<ConversationEntity> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(ConversationEntity)
      .values({
        id: c.id,
        clientId: c.clientId,
        claimId: c.claimId,
        reservedClaimId: c.reservedClaimId,
        channel: c.channel,
        phase: c.phase,
        status: c.status,
        context: await this.cipher.sealContext(c.id, c.context, tx),
        profileClientId: profileClientOf(c.context),
        createdAt: c.now,
        updatedAt: c.now,
        version: 1,
      } as QueryDeepPartialEntity<ConversationEntity>)
      .execute();
    const [row] = await this.cipher.openConversations(
      [await tx.getRepository(ConversationEntity).findOneByOrFail({ id: c.id })],
      tx,
    );
    return row!;
  }

  /** Locks the row for the rest of the transaction (a turn reads, decides, then writes). */
  async lockConversation(tx: EntityManager, id: string): Promise<ConversationEntity | null> {
    const row = await tx
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
    return row && (await this.cipher.openConversations([row], tx))[0]!;
  }

  /**
   * A turn's writes in two statements: the conversation, only if the row is still at
   * `expectedVersion` (optimistic concurrency), with its sequence bumped by the turn's messages
   * in the same UPDATE, then the messages, numbered. Returns the messages and the conversation
   * as the UPDATE left it (every column, its context in clear: no read back); null, and nothing
   * written, when the row has moved on (its client erased meanwhile included: its key is gone).
   */
  async writeTurn<T extends NewMessage>(
    tx: EntityManager,
    id: string,
    expectedVersion: number,
    change: ConversationChange,
    messages: readonly T[],
  ): Promise<{ messages: T[]; conversation: ConversationEntity } | null> {
    let context: Record<string, unknown>;
    let sealed: SealedMessage[];
    try {
      context = await this.cipher.sealContext(id, change.context, tx);
      sealed = await this.cipher.sealMessages(messages, tx);
    } catch (err) {
      if (isErasedMeanwhile(err)) return null;
      throw err;
    }
    // one statement: the row (its version checked), and its messages numbered after what it had;
    // a stale version updates no row, so no message is written either
    const insert = messagesInsert(sealed, 11, { from: 'written', last: 'written.dernier_seq' });
    const [row] = await tx.query<Record<string, unknown>[]>(
      // a SELECT over the update: TypeORM answers rows for it (an UPDATE gives [rows, count])
      `WITH written AS (
         UPDATE conversations SET client_id = $3, sinistre_id = $4, phase = $5, status = $6, context = $7,
           date_modification = $8, version = $2 + 1, dernier_seq = dernier_seq + $9, profil_client_id = $10
         WHERE id = $1 AND version = $2 RETURNING *)${
           messages.length
             ? `,
       inserted AS (${insert.sql} RETURNING 1)`
             : ''
         }
       SELECT * FROM written`,
      [
        id,
        expectedVersion,
        change.clientId,
        change.claimId,
        change.phase,
        change.status,
        context,
        change.now,
        messages.length,
        profileClientOf(change.context),
        ...(messages.length ? insert.params : []),
      ],
    );
    if (!row) return null;
    // the row as written, with the context as the turn made it rather than its ciphertext
    const conversation = Object.assign(this.toConversation(row), { context: change.context });
    return { messages: numbered(messages, conversation.lastSequence - messages.length + 1), conversation };
  }

  /**
   * The claim reserved by a conversation now exists: the conversation, its context document
   * and its messages take its id. Returns the conversation's id, or null when none reserved it
   * (a claim opened elsewhere) or it is linked already.
   */
  async linkClaim(tx: EntityManager, claimId: string, now: Date): Promise<string | null> {
    const [found] = await tx.query<{ id: string }[]>(
      `SELECT id FROM conversations WHERE reserved_claim_id = $1 AND sinistre_id IS NULL FOR UPDATE`,
      [claimId],
    );
    if (!found) return null;
    // version moves on: a turn that read the context before this link must replay
    await tx.query(
      `UPDATE conversations
       SET sinistre_id = $1,
           -- an erased conversation's context is its marker only: nothing to link there
           context = CASE WHEN context ? '${ERASED_AT_KEY}' THEN context
                          ELSE jsonb_set(context, '{sinistre_id}', to_jsonb($4::text)) END,
           version = version + 1, date_modification = $2
       WHERE id = $3`,
      [claimId, now, found.id, claimId],
    );
    await tx.query(
      `UPDATE historique_conversation SET sinistre_id = $1 WHERE conversation_id = $2 AND sinistre_id IS NULL`,
      [claimId, found.id],
    );
    return found.id;
  }
}
