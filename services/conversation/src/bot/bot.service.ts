// The bot's turns (issue 6): the pure engine decides, this service persists. One turn = one
// transaction: the context document (optimistic version check), the client's and the bot's
// messages, and their events (MessageRecorded, IntakeCompleted, HandoffRequested), with the
// authentication failures the turn counted and the lock it started (AuthenticationGuard).
import type { PersonalDataVault } from '@crm/privacy';
import { randomUUID } from 'node:crypto';
import { AuthError } from '@crm/auth';
import { audited, type AuditNotes, type Caller, type ServiceRuntime } from '@crm/subgraph';
import { MAX_TURN_TEXT, type SendMessage, type SendVoiceMessage, type StartConversation } from './bot.inputs';
import { type EntityManager } from 'typeorm';
import {
  isPhaseValue,
  ownerToGraph,
  phaseToGraph,
  statusToGraph,
  toConversationView,
  type ChannelValue,
  type ConversationPhase,
  type ConversationStatus,
  type ConversationView,
  type MessageView,
  type StatusValue,
  roleToGraph,
  wasErased,
} from '../conversation/conversation.mapping';
import { ConversationRepository } from '../conversation/conversation.repository';
import {
  conversationMessage,
  MAX_STT_TRANSCRIPT,
  roundConfidence,
  type NewMessage,
} from '../conversation/message.rules';
import type { VoiceService } from '../voice/voice.service';
import { type ConversationEntity } from '../conversation/conversation.entity';
import { messageRecorded } from '../conversation/conversation.events';
import { botAnswers } from '../handoff/handoff.rules';
import type { HandoffService } from '../handoff/handoff.service';
import type { Attempt, AuthenticationGuard } from '../authentication/authentication.service';
import {
  fr,
  fromSeedContext,
  respondAsync,
  startConversation,
  toSeedCollected,
  toSeedContext,
  type ConversationContext as EngineContext,
  type EngineOptions,
  type TurnResult,
} from '../engine';
import { turnEvents } from './bot.events';
import { isEngineContext, mayTalkIn, turnMessages } from './bot.rules';
import { conversationError, notFound } from '../errors';

/** What a turn answers: the bot's words, where the conversation stands, what it has collected. */
export interface TurnView {
  conversation: ConversationView;
  reply: string;
  replies: string[];
  phase: ConversationPhase;
  status: ConversationStatus;
  collected: Record<string, unknown>;
  /** this turn's messages as written: the client's, then the bot's (with their audio when ready) */
  messages: MessageView[];
}

/** How a turn is voiced: on the VOICE channel, and whenever the client spoke (a voice turn). */
export interface TurnOptions {
  /** the client's words came from a recording: its raw transcript (texte_stt) */
  sttTranscript?: string;
  /** answer aloud whatever the channel */
  speak?: boolean;
}

export class BotService {
  private readonly repo: ConversationRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
    vault: PersonalDataVault,
    private readonly guard: AuthenticationGuard,
    private readonly handoff: HandoffService,
    private readonly options: EngineOptions = {},
    private readonly voice?: VoiceService,
  ) {
    this.repo = new ConversationRepository(runtime.dataSource.manager, vault);
  }

  /**
   * `audit`: the request's notes get what the conversation was started with (channel, phase,
   * status, owner), as new values sealed under its key, noted under its id once committed.
   */
  async start(cmd: StartConversation, caller: Caller, audit?: AuditNotes): Promise<TurnView> {
    const channel: ChannelValue = cmd.channel ?? 'CHAT';
    const now = this.runtime.clock();
    const id = randomUUID();
    // the claim this conversation may declare gets its id now, so IntakeCompleted can name it
    // and a redelivered IntakeCompleted opens one claim, not two
    const result = startConversation({ conversationId: id, claimId: randomUUID(), now });
    const context = result.context;
    let written: NewMessage[] = [];
    const view = await audited(audit, this.runtime.dataSource, async (tx) => {
      const row = await this.repo.insertConversation(tx, {
        id,
        clientId: context.clientId,
        claimId: null,
        reservedClaimId: context.dialogue.reservedClaimId,
        channel,
        phase: context.phase,
        status: context.dialogue.status,
        context: toSeedContext(context) as unknown as Record<string, unknown>,
        now,
      });
      const messages = await this.repo.insertNumbered(
        tx,
        id,
        turnMessages({ id, claimId: null }, context, 0, randomUUID),
      );
      written = messages;
      await this.runtime.events.outbox.publish(
        tx,
        turnEvents(id, channel, messages, result.outcomes, caller, now),
      );
      const started = toConversationView(row);
      return {
        result: viewOf(started, result.replies, context),
        entityId: id,
        seal: () => this.repo.cipher.auditChanges(id, { after: started }, tx),
      };
    });
    return this.voiced(view, written, channel === 'VOICE', caller);
  }

  /**
   * After the turn committed (the text is already delivered, live subscribers have it): the bot's
   * messages voiced within the wait budget; the audio of the others follows or is skipped.
   */
  private async voiced(
    view: TurnView,
    written: readonly NewMessage[],
    speak: boolean,
    caller: Caller,
  ): Promise<TurnView> {
    const spoken = speak && this.voice ? written.filter((m) => m.role === 'bot' && m.text) : [];
    const urls = spoken.length
      ? await this.voice!.voice(
          spoken.map((m) => ({ id: m.id, text: m.text! })),
          caller,
        )
      : new Map<string, string>();
    return {
      ...view,
      messages: written.map((m) => ({ ...messageViewOf(m), audioUrl: urls.get(m.id) ?? m.audioUrl })),
    };
  }

  /**
   * `audit`: the request's notes get the client's message (what he said, who said it) and the
   * conversation's state it moved (phase, status, owner on a transfer, the client it
   * authenticated...), sealed under the conversation's key in the turn's transaction (no query:
   * the key opened the context just before), noted under its id once committed.
   */
  async send(
    cmd: SendMessage,
    caller: Caller,
    audit?: AuditNotes,
    turn: TurnOptions = {},
  ): Promise<TurnView> {
    const now = this.runtime.clock();
    await this.guard.prepare(caller, now);
    let rows: NewMessage[] = [];
    let speak = turn.speak === true;
    // under the conversation's id as stored (its key's subject), not as the caller spelled it
    const view = await audited(audit, this.runtime.dataSource, async (tx) => {
      const [row] = await this.repo.conversationsByIds([cmd.conversationId], tx);
      if (!row) throw notFound('conversation', cmd.conversationId);
      if (!mayTalkIn(caller.principal, row.clientId))
        throw new AuthError(
          'AUTH.FORBIDDEN',
          'this conversation is bound to another client: a policyholder talks in his own',
        );
      refuseErased(row);
      if (row.channel === 'VOICE') speak = true;
      // waiting for or talking with an advisor: the bot says nothing, the advisor reads it
      if (!botAnswers(ownerToGraph(row.owner))) {
        const kept = await this.keepForAdvisor(tx, row, cmd, caller, now, turn);
        rows = kept.written;
        return {
          result: kept.view,
          entityId: row.id,
          // the message only: kept for the advisor, it moves nothing
          seal: () => this.repo.cipher.auditChanges(row.id, { said: saidBy(rows) }, tx),
        };
      }
      if (!isEngineContext(row.context))
        throw conversationError(
          'CONVERSATION.NOT_A_BOT_CONVERSATION',
          'this conversation has no bot context',
          {
            id: row.id,
          },
        );
      const before = row.context.messages.length;
      const attempt: Attempt = { caller, conversationId: row.id, now };
      const played = await this.play(
        tx,
        fromSeedContext(row.context),
        cmd.text,
        cmd.sttConfidence == null ? undefined : roundConfidence(cmd.sttConfidence),
        attempt,
      );
      for (const matricule of played.denials) await this.guard.recordDenial(tx, matricule, attempt);
      const context = played.context;
      const phase = context.phase;
      if (!isPhaseValue(phase)) throw new Error(`engine returned an unknown phase ${String(phase)}`);
      const status: StatusValue = context.dialogue.status;
      const written = await this.repo.writeTurn(
        tx,
        row.id,
        row.version,
        {
          clientId: context.clientId,
          claimId: row.claimId,
          phase,
          status,
          context: toSeedContext(context) as unknown as Record<string, unknown>,
          now,
        },
        withTranscript(turnMessages(row, context, before, randomUUID), turn.sttTranscript),
      );
      if (!written)
        throw conversationError(
          'CONVERSATION.CONCURRENT_UPDATE',
          'the conversation changed during this turn; send the message again',
          { id: row.id },
        );
      const { messages } = written;
      rows = messages;
      await this.runtime.events.outbox.publish(
        tx,
        turnEvents(row.id, row.channel, messages, played.outcomes, caller, now),
      );
      const handoff = played.outcomes.find((o) => o.type === 'HandoffRequested');
      // the row as this turn wrote it (the client it may have just authenticated)
      if (handoff)
        await this.handoff.transferIn(
          tx,
          { ...row, clientId: context.clientId },
          handoff.reason,
          caller,
          now,
        );
      // the row as this turn left it; a transfer moved its owner since, read it again then
      const updated = handoff ? (await this.repo.conversationsByIds([row.id], tx))[0]! : written.conversation;
      const after = toConversationView(updated);
      return {
        result: viewOf(after, played.replies, context),
        entityId: row.id,
        seal: () =>
          this.repo.cipher.auditChanges(
            row.id,
            { before: toConversationView(row), after, said: saidBy(messages) },
            tx,
          ),
      };
    });
    return this.voiced(view, rows, speak, caller);
  }

  /**
   * A voice turn: the recording transcribed (through the breaker and the deadline), then played
   * as the client's message with its confidence (the engine's low-confidence policy decides), the
   * raw transcript kept as texte_stt; the bot answers aloud. Nothing heard is a message the bot did
   * not understand (confidence 0), not an error.
   */
  async sendVoice(cmd: SendVoiceMessage, caller: Caller, audit?: AuditNotes): Promise<TurnView> {
    // who may talk here is checked before the recording leaves for the provider
    const [row] = await this.repo.conversationsByIds([cmd.conversationId]);
    if (!row) throw notFound('conversation', cmd.conversationId);
    if (!mayTalkIn(caller.principal, row.clientId))
      throw new AuthError(
        'AUTH.FORBIDDEN',
        'this conversation is bound to another client: a policyholder talks in his own',
      );
    if (!this.voice?.listens)
      throw conversationError(
        'VOICE.TRANSCRIPTION_UNAVAILABLE',
        'speech-to-text is not configured (STT_PROVIDER): type the message',
      );
    let heard;
    try {
      heard = await this.voice.transcribe({ data: cmd.audio, mimeType: cmd.mimeType });
    } catch {
      throw conversationError(
        'VOICE.TRANSCRIPTION_UNAVAILABLE',
        'the recording could not be transcribed now: type the message, or try again',
      );
    }
    const text = heard.text.trim();
    return this.send(
      {
        conversationId: cmd.conversationId,
        text: text ? text.slice(0, MAX_TURN_TEXT) : INAUDIBLE,
        sttConfidence: text ? heard.confidence : 0,
      },
      caller,
      audit,
      { sttTranscript: text.slice(0, MAX_STT_TRANSCRIPT), speak: true },
    );
  }

  /**
   * A client's message while an advisor is awaited or holds the conversation: kept (the advisor
   * reads it live and in the transcript), never answered by the bot. In a closed conversation
   * the bot says only that it is over.
   */
  private async keepForAdvisor(
    tx: EntityManager,
    row: ConversationEntity,
    cmd: SendMessage,
    caller: Caller,
    now: Date,
    turn: TurnOptions,
  ): Promise<{ view: TurnView; written: NewMessage[] }> {
    // under the row's lock: an advisor handing back meanwhile makes the client send it again
    const locked = await this.repo.lockConversation(tx, row.id);
    if (!locked || botAnswers(ownerToGraph(locked.owner)))
      throw conversationError(
        'CONVERSATION.CONCURRENT_UPDATE',
        'the conversation changed during this turn; send the message again',
        { id: row.id },
      );
    // from here the row as locked, not as first read: the claim linked or the client erased
    // meanwhile (both lock the row) is what this message is filed under, or refused by
    refuseErased(locked);
    const closed = locked.owner === 'cloture';
    const replies = closed ? [fr.conversationClosed()] : [];
    const confidence = cmd.sttConfidence == null ? null : roundConfidence(cmd.sttConfidence);
    const messages = await this.repo.insertNumbered(
      tx,
      locked.id,
      withTranscript(
        [
          conversationMessage(locked, 'user', cmd.text, now, { sttConfidence: confidence }),
          ...replies.map((text) => conversationMessage(locked, 'bot', text, now)),
        ],
        turn.sttTranscript,
      ),
    );
    for (const m of messages) await this.runtime.events.outbox.publish(tx, messageRecorded(m, caller));
    const engine = isEngineContext(locked.context) ? fromSeedContext(locked.context) : null;
    const view: TurnView = {
      conversation: toConversationView(locked),
      reply: replies.join('\n'),
      replies,
      phase: phaseToGraph(locked.phase),
      status: statusToGraph(locked.status),
      collected: engine ? toSeedCollected(engine.collected) : {},
      messages: [],
    };
    return { view, written: messages };
  }

  /**
   * One client message, with the lookups and code checks it triggers answered by the guard
   * (the projection, the personal codes, the failure counts), in the turn's transaction.
   */
  private play(
    tx: EntityManager,
    context: EngineContext,
    text: string,
    sttConfidence: number | undefined,
    attempt: Attempt,
  ): Promise<TurnResult> {
    return respondAsync(
      context,
      { type: 'user_message', text, ...(sttConfidence === undefined ? {} : { sttConfidence }) },
      attempt.now,
      {
        lookup: (matricule) => this.guard.lookup(tx, matricule, attempt),
        checkPin: (matricule, pin) => this.guard.checkPin(tx, matricule, pin, attempt),
      },
      this.options,
    );
  }
}

function viewOf(conversation: ConversationView, replies: string[], context: EngineContext): TurnView {
  return {
    conversation,
    reply: replies.join('\n'),
    replies,
    phase: phaseToGraph(context.phase),
    status: statusToGraph(context.dialogue.status),
    collected: toSeedCollected(context.collected),
    messages: [],
  };
}

/** The client's message when the recording held no words (the transcript is empty). */
export const INAUDIBLE = '(inaudible)';

/** The client's message of a voice turn keeps the raw transcript (texte_stt) beside its text. */
function withTranscript<T extends NewMessage>(messages: T[], transcript: string | undefined): T[] {
  if (transcript === undefined) return messages;
  let first = true;
  return messages.map((m) => {
    if (!first || m.role !== 'user') return m;
    first = false;
    return { ...m, sttTranscript: transcript };
  });
}

/** The client's message among a turn's (his, then the bot's): what the audit record keeps of it. */
const saidBy = (messages: readonly NewMessage[]): NewMessage | undefined =>
  messages.find((m) => m.role === 'user');

function messageViewOf(m: NewMessage): MessageView {
  return { ...m, role: roleToGraph(m.role) };
}

/** What a client writes in a conversation erased with him would outlive his erasure. */
function refuseErased(row: Pick<ConversationEntity, 'id' | 'context'>): void {
  if (wasErased(row.context))
    throw conversationError(
      'CONVERSATION.ERASED',
      'this conversation was erased with its client; start a new conversation',
      { id: row.id },
    );
}
