// Queries of the live handoff: ownership changes in the conversation's sequence, the
// conversations an escalation event is about, the waits overdue for a call-back, and what a
// live subscriber missed. Reads run on the manager given at construction; writes and locks take
// the transaction's EntityManager. A change's reason is sealed as it is written and opened as it
// is read (ConversationCipher): the rows leave this class in clear, the table holds ciphertexts.
import type { PersonalDataVault } from '@crm/privacy';
import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { ConversationEntity } from '../conversation/conversation.entity';
import {
  ownerFromGraph,
  ownerToGraph,
  toMessageView,
  type MessageView,
} from '../conversation/conversation.mapping';
import { ConversationRepository } from '../conversation/conversation.repository';
import { MessageEntity } from '../conversation/message.entity';
import { type WrittenOwnershipChange } from './handoff.events';
import { type OwnershipMove } from './handoff.rules';
import { OwnershipChangeEntity } from './ownership.entity';

/** What an escalation event names: its conversation, else its claim, else the entry itself. */
export interface EscalationRef {
  conversationId?: string | undefined;
  claimId?: string | undefined;
  escalationId?: string | undefined;
}

/** One item of a conversation's sequence: a message or an ownership change. */
export type SequenceItem =
  | { kind: 'MESSAGE'; sequence: number; message: MessageView }
  | { kind: 'OWNERSHIP'; sequence: number; change: WrittenOwnershipChange };

/** Replays and gap fills read the sequence in pages of this size. */
export const SEQUENCE_PAGE = 200;

/**
 * A kept change. The claim and the client are the event's context (ownershipChanged): given when
 * the change is published, null when it is only read back (the graph does not show them).
 */
export const toOwnershipChange = (
  row: OwnershipChangeEntity,
  conversation?: Pick<ConversationEntity, 'claimId' | 'reservedClaimId' | 'clientId'>,
): WrittenOwnershipChange => ({
  id: row.id,
  conversationId: row.conversationId,
  claimId: conversation ? (conversation.claimId ?? conversation.reservedClaimId) : null,
  clientId: conversation?.clientId ?? null,
  sequence: row.sequence,
  from: ownerToGraph(row.from),
  to: ownerToGraph(row.to),
  cause: row.cause as WrittenOwnershipChange['cause'],
  reason: row.reason,
  advisorId: row.advisorId,
  advisorName: row.advisorName,
  escalationId: row.escalationId,
  at: row.at,
});

export class HandoffRepository {
  private readonly conversations: ConversationRepository;

  constructor(
    private readonly manager: EntityManager,
    vault: PersonalDataVault,
  ) {
    this.conversations = new ConversationRepository(manager, vault);
  }

  /**
   * The conversation an escalation event is about, locked for the transaction: by its id, else
   * the one that declared (or reserved the id of) the claim, else the one holding the entry.
   */
  async lockFor(tx: EntityManager, ref: EscalationRef): Promise<ConversationEntity | null> {
    const row = await this.findFor(tx, ref);
    return row && (await this.conversations.cipher.openConversations([row], tx))[0]!;
  }

  private findFor(tx: EntityManager, ref: EscalationRef): Promise<ConversationEntity | null> {
    const q = tx.getRepository(ConversationEntity).createQueryBuilder('c').setLock('pessimistic_write');
    if (ref.conversationId) return q.where('c.id = :id', { id: ref.conversationId }).getOne();
    if (ref.claimId)
      return q
        .where('(c.reserved_claim_id = :claimId OR c.sinistre_id = :claimId)', { claimId: ref.claimId })
        .orderBy('c.date_creation', 'DESC')
        .getOne();
    if (ref.escalationId)
      return q
        .where('c.escalade_id = :escalationId', { escalationId: ref.escalationId })
        .orderBy('c.date_creation', 'DESC')
        .getOne();
    return Promise.resolve(null);
  }

  /** Locks one conversation by id for the rest of the transaction. */
  lock(tx: EntityManager, id: string): Promise<ConversationEntity | null> {
    return this.conversations.lockConversation(tx, id);
  }

  async setEscalation(tx: EntityManager, conversationId: string, escalationId: string): Promise<void> {
    await tx.query(`UPDATE conversations SET escalade_id = $2 WHERE id = $1`, [conversationId, escalationId]);
  }

  /**
   * Writes a change of owner on a locked conversation: its number in the sequence, the row's new
   * owner (the version moves on, so a bot turn that read the old owner replays), the change kept,
   * its reason sealed under the conversation's key (none once that key is shredded: the client
   * erased meanwhile; the owner still changes).
   */
  async applyMove(
    tx: EntityManager,
    row: ConversationEntity,
    move: OwnershipMove,
    now: Date,
  ): Promise<WrittenOwnershipChange> {
    const sequence = await this.conversations.allocateSequences(tx, row.id, 1);
    const to = ownerFromGraph(move.to);
    const waiting = move.to === 'WAITING_FOR_ADVISOR';
    const holds = move.to === 'ADVISOR';
    await tx.query(
      `UPDATE conversations SET proprietaire = $2, conseiller_id = $3, conseiller_nom = $4,
         attente_depuis = CASE WHEN $5 THEN $6::timestamp ELSE NULL END,
         rappel_propose_le = CASE WHEN $5 THEN NULL ELSE rappel_propose_le END,
         escalade_id = CASE WHEN $7 THEN NULL ELSE escalade_id END,
         version = version + 1, date_modification = $6
       WHERE id = $1`,
      [
        row.id,
        to,
        holds ? move.advisorId : null,
        holds ? move.advisorName : null,
        waiting,
        now,
        // back to the bot or closed: the entry is over; a later transfer queues a new one
        move.to === 'BOT' || move.to === 'CLOSED',
      ],
    );
    const reason = move.reason?.slice(0, 500) ?? null;
    const change: OwnershipChangeEntity = {
      id: randomUUID(),
      conversationId: row.id,
      sequence,
      from: row.owner,
      to,
      cause: move.cause,
      reason: await this.conversations.cipher.sealOwnershipReason(row.id, reason, tx),
      advisorId: move.advisorId,
      advisorName: move.advisorName,
      escalationId: row.escalationId,
      at: now,
    };
    await tx.getRepository(OwnershipChangeEntity).insert(change);
    // the change as its event tells it: the words in clear (the outbox seals them), none when
    // the conversation's key was shredded meanwhile (nothing was kept: the event needs no key)
    return toOwnershipChange({ ...change, reason: change.reason === null ? null : reason }, row);
  }

  /** Waits overdue for a call-back, locked (several replicas share the work: SKIP LOCKED). */
  async lockOverdueWaits(tx: EntityManager, waitingBefore: Date, max: number): Promise<ConversationEntity[]> {
    const rows = await tx
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(
        `c.proprietaire = 'attente_conseiller' AND c.rappel_propose_le IS NULL AND c.attente_depuis <= :before`,
        {
          before: waitingBefore,
        },
      )
      .orderBy('c.attente_depuis', 'ASC')
      .limit(max)
      .getMany();
    return this.conversations.cipher.openConversations(rows, tx);
  }

  async markCallBackOffered(tx: EntityManager, conversationId: string, at: Date): Promise<void> {
    await tx.query(`UPDATE conversations SET rappel_propose_le = $2 WHERE id = $1`, [conversationId, at]);
  }

  /**
   * The latest ownership change of each conversation (Conversation.ownership), one query, and one
   * for the keys of their reasons.
   */
  async latestChanges(conversationIds: readonly string[]): Promise<OwnershipChangeEntity[]> {
    if (!conversationIds.length) return [];
    const rows = await this.manager
      .getRepository(OwnershipChangeEntity)
      .createQueryBuilder('o')
      .distinctOn(['o.conversation_id'])
      .where('o.conversation_id IN (:...ids)', { ids: conversationIds })
      .orderBy('o.conversation_id')
      .addOrderBy('o.sequence', 'DESC')
      .getMany();
    return this.conversations.cipher.openOwnershipChanges(rows);
  }

  /**
   * The conversation's sequence after `after`, up to `upTo` included, oldest first, at most
   * SEQUENCE_PAGE items: messages and ownership changes merged by number.
   */
  async sequencePage(conversationId: string, after: number, upTo: number): Promise<SequenceItem[]> {
    const [messages, changes] = await Promise.all([
      this.manager
        .getRepository(MessageEntity)
        .createQueryBuilder('m')
        .where('m.conversation_id = :id AND m.sequence > :after AND m.sequence <= :upTo', {
          id: conversationId,
          after,
          upTo,
        })
        .orderBy('m.sequence', 'ASC')
        .limit(SEQUENCE_PAGE)
        .getMany(),
      this.manager
        .getRepository(OwnershipChangeEntity)
        .createQueryBuilder('o')
        .where('o.conversation_id = :id AND o.sequence > :after AND o.sequence <= :upTo', {
          id: conversationId,
          after,
          upTo,
        })
        .orderBy('o.sequence', 'ASC')
        .limit(SEQUENCE_PAGE)
        .getMany(),
    ]);
    const { cipher } = this.conversations;
    // one after the other: both are under the conversation's key, which the second reads cached
    const said = await cipher.openMessages(messages);
    const moved = await cipher.openOwnershipChanges(changes);
    const items: SequenceItem[] = [
      ...said.map((m) => ({
        kind: 'MESSAGE' as const,
        sequence: m.sequence!,
        message: toMessageView(m),
      })),
      ...moved.map((o) => ({
        kind: 'OWNERSHIP' as const,
        sequence: o.sequence,
        change: toOwnershipChange(o),
      })),
    ].sort((a, b) => a.sequence - b.sequence);
    return items.slice(0, SEQUENCE_PAGE);
  }

  async conversationById(id: string): Promise<ConversationEntity | null> {
    const row = await this.manager.getRepository(ConversationEntity).findOneBy({ id });
    return row && (await this.conversations.cipher.openConversations([row]))[0]!;
  }
}
