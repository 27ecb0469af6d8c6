// The live handoff (issue 15): who answers the client, moved by the bot's transfers, by the
// advisors' queue (escalation's events) and by the advisor holding the conversation. Each move
// is one transaction on the locked conversation: the owner, the change in the conversation's
// sequence, the message the client reads about it, and their events.
import { randomUUID } from 'node:crypto';
import {
  audited,
  isUuid,
  type AuditedOutcome,
  type AuditNotes,
  type Caller,
  type ServiceRuntime,
} from '@crm/subgraph';
import { type EntityManager } from 'typeorm';
import { isEngineContext, turnMessages } from '../bot/bot.rules';
import { type ConversationEntity } from '../conversation/conversation.entity';
import { messageRecorded } from '../conversation/conversation.events';
import {
  roleToGraph,
  toConversationView,
  type ConversationView,
  type MessageView,
} from '../conversation/conversation.mapping';
import { ConversationRepository } from '../conversation/conversation.repository';
import { conversationMessage, type NewMessage } from '../conversation/message.rules';
import type { PersonalDataVault } from '@crm/privacy';
import { DirectoryRepository } from '../directory/directory.repository';
import { fr, fromSeedContext, resumeConversation, toSeedContext } from '../engine';
import { conversationError, notFound } from '../errors';
import {
  callBackOffered,
  ownershipChanged,
  participantTyping,
  type WrittenOwnershipChange,
} from './handoff.events';
import type { CloseConversation, HandBack, SendAdvisorMessage, SetTyping } from './handoff.inputs';
import { HandoffRepository, type EscalationRef } from './handoff.repository';
import {
  callBackDue,
  checkHolder,
  frenchTime,
  maskPhone,
  onAssigned,
  onEscalationResolved,
  onHandoff,
  onRelease,
  typingParticipant,
  type Ownership,
  type OwnershipMove,
} from './handoff.rules';

export interface HandoffSettings {
  /** a client waiting longer than this for an advisor is offered a call-back */
  callBackAfterMs: number;
  /** the call-back deadline the client is given, from the offer */
  callBackWithinMs: number;
}

export const DEFAULT_HANDOFF_SETTINGS: HandoffSettings = {
  callBackAfterMs: 5 * 60_000,
  callBackWithinMs: 2 * 3600_000,
};

/** Call-backs offered per sweep (the next sweep takes the rest). */
const CALL_BACKS_PER_SWEEP = 50;

const ownershipOf = (row: ConversationEntity): Ownership => toConversationView(row);

export class HandoffService {
  private readonly repo: HandoffRepository;
  private readonly conversations: ConversationRepository;
  private readonly directory: DirectoryRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
    vault: PersonalDataVault,
    readonly settings: HandoffSettings = DEFAULT_HANDOFF_SETTINGS,
  ) {
    const manager = runtime.dataSource.manager;
    this.repo = new HandoffRepository(manager, vault);
    this.conversations = new ConversationRepository(manager, vault);
    this.directory = new DirectoryRepository(manager, vault);
  }

  /** The bot transferred the client (a turn's HandoffRequested): he now waits for an advisor. */
  async transferIn(
    tx: EntityManager,
    row: ConversationEntity,
    reason: string,
    caller: Caller,
    now: Date,
  ): Promise<WrittenOwnershipChange | null> {
    const decision = onHandoff(ownershipOf(row), reason);
    if (decision.kind !== 'move') return null;
    return this.move(tx, row, decision.move, [], caller, now);
  }

  /** escalation's EscalationQueued: the entry about this conversation (its client's place in the queue). */
  async queuedIn(tx: EntityManager, ref: EscalationRef, escalationId: string): Promise<void> {
    const row = await this.repo.lockFor(tx, ref);
    if (!row || (row.owner !== 'attente_conseiller' && row.owner !== 'conseiller')) return;
    if (row.escalationId !== escalationId) await this.repo.setEscalation(tx, row.id, escalationId);
  }

  /** escalation's AdvisorAssigned: the advisor takes the waiting client (or takes over from another). */
  async assignedIn(
    tx: EntityManager,
    ref: EscalationRef,
    escalationId: string,
    advisor: { id: string; name: string },
    caller: Caller,
    now: Date,
  ): Promise<WrittenOwnershipChange | null> {
    const row = await this.repo.lockFor(tx, ref);
    if (!row) return null;
    const decision = onAssigned(ownershipOf(row), advisor.id, advisor.name);
    if (decision.kind !== 'move') return null;
    if (row.escalationId !== escalationId) {
      await this.repo.setEscalation(tx, row.id, escalationId);
      row.escalationId = escalationId;
    }
    const said =
      decision.move.cause === 'ADVISOR_REASSIGNED'
        ? fr.advisorChanged(advisor.name)
        : fr.advisorJoined(advisor.name);
    return this.move(tx, row, decision.move, [conversationMessage(row, 'system', said, now)], caller, now);
  }

  /** escalation's EscalationResolved: a client still waiting or talking is told it is over. */
  async resolvedIn(
    tx: EntityManager,
    ref: EscalationRef,
    resolution: string | null,
    caller: Caller,
    now: Date,
  ): Promise<WrittenOwnershipChange | null> {
    const row = await this.repo.lockFor(tx, ref);
    if (!row) return null;
    const decision = onEscalationResolved(ownershipOf(row), resolution);
    if (decision.kind !== 'move') return null;
    return this.move(
      tx,
      row,
      decision.move,
      [conversationMessage(row, 'system', fr.advisorClosed(), now)],
      caller,
      now,
    );
  }

  /**
   * `audit`: the request's notes get the advisor's words and who wrote them, sealed under the
   * conversation's key, noted under the message's id (the record's entity: the answer's id).
   */
  async sendAdvisorMessage(
    cmd: SendAdvisorMessage,
    caller: Caller,
    audit?: AuditNotes,
  ): Promise<MessageView> {
    const now = this.runtime.clock();
    const message = await audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.holdersConversation(tx, cmd.conversationId, caller);
      const author = isUuid(caller.principal.sub) ? caller.principal.sub : row.advisorId;
      const [written] = await this.conversations.insertNumbered(tx, row.id, [
        conversationMessage(row, 'advisor', cmd.text, now, { advisorId: author }),
      ]);
      await this.runtime.events.outbox.publish(tx, messageRecorded(written!, caller));
      return {
        result: written!,
        entityId: written!.id,
        seal: () => this.conversations.cipher.auditChanges(row.id, { said: written }, tx),
      };
    });
    return { ...message, role: roleToGraph(message.role) };
  }

  /**
   * Nothing is stored (the typing goes to live subscribers only): its audit record, written by
   * the plugin as for every mutation, keeps no values.
   */
  async setTyping(cmd: SetTyping, caller: Caller): Promise<boolean> {
    const now = this.runtime.clock();
    const row = await this.repo.conversationById(cmd.conversationId);
    if (!row) throw notFound('conversation', cmd.conversationId);
    const participant = typingParticipant(ownershipOf(row), caller.principal, row.clientId, row.id);
    if (!participant)
      throw conversationError(
        'CONVERSATION.NOT_A_PARTICIPANT',
        'only the client and the advisor holding the conversation take part in it live',
        { id: row.id },
      );
    const advisorId = participant === 'ADVISOR' && isUuid(caller.principal.sub) ? caller.principal.sub : null;
    await this.runtime.dataSource.transaction((tx) =>
      this.runtime.events.outbox.publish(
        tx,
        participantTyping(row.id, participant, advisorId, cmd.typing, now, caller),
      ),
    );
    return true;
  }

  /**
   * The holder gives the client back to the bot, which resumes where the transfer stopped it.
   * `audit`: the request's notes get the conversation's state it moved (owner, advisor, queue
   * entry; phase and status if the bot resumes elsewhere), sealed under its key.
   */
  async handBack(cmd: HandBack, caller: Caller, audit?: AuditNotes): Promise<ConversationView> {
    const now = this.runtime.clock();
    return audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.holdersConversation(tx, cmd.conversationId, caller);
      await this.move(tx, row, onRelease(ownershipOf(row), 'BOT', null), [], caller, now);
      if (isEngineContext(row.context)) {
        const before = row.context.messages.length;
        const resumed = resumeConversation(fromSeedContext(row.context), now);
        const context = resumed.context;
        // the row is locked and its version moved once with the owner
        const said = await this.conversations.writeTurn(
          tx,
          row.id,
          row.version + 1,
          {
            clientId: row.clientId,
            claimId: row.claimId,
            phase: context.phase,
            status: context.dialogue.status,
            context: toSeedContext(context) as unknown as Record<string, unknown>,
            now,
          },
          turnMessages(row, context, before, randomUUID),
        );
        if (!said) throw new Error(`conversation ${row.id} moved under its lock while handed back`);
        for (const m of said.messages)
          await this.runtime.events.outbox.publish(tx, messageRecorded(m, caller));
      }
      return this.moved(tx, row, {});
    });
  }

  /**
   * The holder ends the conversation; escalation resolves its entry with the resolution.
   * `audit`: the request's notes get the state it moved and the resolution the advisor typed.
   */
  async close(cmd: CloseConversation, caller: Caller, audit?: AuditNotes): Promise<ConversationView> {
    const now = this.runtime.clock();
    return audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.holdersConversation(tx, cmd.conversationId, caller);
      await this.move(
        tx,
        row,
        onRelease(ownershipOf(row), 'CLOSED', cmd.resolution),
        [conversationMessage(row, 'system', fr.advisorClosed(), now)],
        caller,
        now,
      );
      return this.moved(tx, row, { resolution: cmd.resolution });
    });
  }

  /**
   * The conversation as a holder's move left it, and, for the request's audit record, the state
   * it moved from `before` (the locked row) and the words the holder typed, sealed under its key
   * in the move's transaction.
   */
  private async moved(
    tx: EntityManager,
    before: ConversationEntity,
    typed: Record<string, string>,
  ): Promise<AuditedOutcome<ConversationView>> {
    const view = await this.view(tx, before.id);
    return {
      result: view,
      entityId: view.id,
      seal: () =>
        this.conversations.cipher.auditChanges(
          before.id,
          { before: toConversationView(before), after: view, typed },
          tx,
        ),
    };
  }

  /**
   * Clients waiting longer than the limit are offered a call-back (the number from the directory)
   * and stay in the queue: whoever comes first, the advisor in the chat or on the phone. Returns
   * how many were offered one.
   */
  async offerCallBacks(caller: Caller): Promise<number> {
    const now = this.runtime.clock();
    return this.runtime.dataSource.transaction(async (tx) => {
      const due = await this.repo.lockOverdueWaits(
        tx,
        new Date(now.getTime() - this.settings.callBackAfterMs),
        CALL_BACKS_PER_SWEEP,
      );
      let offered = 0;
      for (const row of due) {
        if (!callBackDue(row.waitingSince, row.callBackOfferedAt, now, this.settings.callBackAfterMs))
          continue;
        const phone = row.clientId ? await this.directory.phoneOf(row.clientId, tx) : null;
        const by = new Date(now.getTime() + this.settings.callBackWithinMs);
        const said = await this.conversations.insertNumbered(tx, row.id, [
          conversationMessage(row, 'bot', fr.callBackOffered(maskPhone(phone), frenchTime(by)), now),
        ]);
        await this.repo.markCallBackOffered(tx, row.id, now);
        for (const m of said) await this.runtime.events.outbox.publish(tx, messageRecorded(m, caller));
        await this.runtime.events.outbox.publish(
          tx,
          callBackOffered(
            {
              conversationId: row.id,
              claimId: row.claimId ?? row.reservedClaimId,
              clientId: row.clientId,
              escalationId: row.escalationId,
              phone,
              callBackBy: by,
              offeredAt: now,
            },
            caller,
          ),
        );
        offered += 1;
      }
      return offered;
    });
  }

  /** The conversation, locked, if the caller holds it (or stands in for its holder). */
  private async holdersConversation(
    tx: EntityManager,
    id: string,
    caller: Caller,
  ): Promise<ConversationEntity> {
    const row = await this.repo.lock(tx, id);
    if (!row) throw notFound('conversation', id);
    const check = checkHolder(ownershipOf(row), caller.principal);
    if (!check.ok) throw conversationError(check.code, check.message, { id });
    return row;
  }

  /** One move: the change first in the sequence, then what the client is told, and their events. */
  private async move(
    tx: EntityManager,
    row: ConversationEntity,
    move: OwnershipMove,
    messages: NewMessage[],
    caller: Caller,
    now: Date,
  ): Promise<WrittenOwnershipChange> {
    const change = await this.repo.applyMove(tx, row, move, now);
    await this.runtime.events.outbox.publish(tx, ownershipChanged(change, caller));
    const said = await this.conversations.insertNumbered(tx, row.id, messages);
    for (const m of said) await this.runtime.events.outbox.publish(tx, messageRecorded(m, caller));
    return change;
  }

  private async view(tx: EntityManager, id: string): Promise<ConversationView> {
    const [row] = await this.conversations.conversationsByIds([id], tx);
    return toConversationView(row!);
  }
}
