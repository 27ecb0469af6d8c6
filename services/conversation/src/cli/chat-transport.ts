// The chat CLI talks to a transport: offline (the engine in this process, with the demo
// directory) now; an online transport (the running system, through the gateway) plugs in
// behind the same interface later.
import { randomUUID } from 'node:crypto';
import {
  type ConversationContext,
  type EngineOutcome,
  type EngineOptions,
  demoLookup,
  type DirectoryLookup,
  respond,
  startConversation,
} from '../engine';

export interface ChatTurn {
  replies: string[];
  outcomes: EngineOutcome[];
  /** The conversation is over (completed or transferred to an advisor). */
  ended: boolean;
}

export interface ChatTransport {
  readonly name: string;
  start(): Promise<ChatTurn>;
  send(text: string, sttConfidence?: number): Promise<ChatTurn>;
  /** Debug view of the conversation state, when the transport can show it. */
  snapshot(): unknown;
}

/** Runs the pure engine in-process. The wall clock and ids are read here, never in the engine. */
export class OfflineTransport implements ChatTransport {
  readonly name = 'offline';
  private context: ConversationContext | null = null;

  constructor(
    private readonly directory: DirectoryLookup = demoLookup,
    private readonly options: EngineOptions = {},
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): Promise<ChatTurn> {
    const result = startConversation({
      conversationId: randomUUID(),
      claimId: randomUUID(),
      now: this.clock(),
    });
    this.context = result.context;
    return Promise.resolve({ replies: result.replies, outcomes: [], ended: false });
  }

  send(text: string, sttConfidence?: number): Promise<ChatTurn> {
    if (!this.context) return Promise.reject(new Error('CHAT.NOT_STARTED: call start() first'));
    const input =
      sttConfidence === undefined
        ? { type: 'user_message' as const, text }
        : { type: 'user_message' as const, text, sttConfidence };
    const result = respond(this.context, input, this.clock(), this.directory, this.options);
    this.context = result.context;
    const status = result.context.dialogue.status;
    return Promise.resolve({
      replies: result.replies,
      outcomes: result.outcomes,
      ended: status === 'completed' || status === 'transferred',
    });
  }

  snapshot(): unknown {
    return this.context;
  }
}
