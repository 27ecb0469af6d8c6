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
  toSeedContext,
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

  /** The context as the service stores it, seed keys and all. */
  snapshot(): unknown {
    return this.context && toSeedContext(this.context);
  }
}

interface TurnPayload {
  conversation: { id: string };
  replies: string[];
  phase: string;
  status: 'ACTIVE' | 'AWAITING_LOOKUP' | 'COMPLETED' | 'TRANSFERRED';
  collected: unknown;
}

const TURN_FIELDS = 'conversation { id } replies phase status collected';

/** Talks to the running system through the gateway: the same mutations a chat front end uses. */
export class OnlineTransport implements ChatTransport {
  readonly name = 'online';
  private conversationId: string | null = null;
  private last: TurnPayload | null = null;

  constructor(
    private readonly gatewayUrl: string,
    private readonly token: string,
  ) {}

  private async call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query, variables }),
    }).catch((err: unknown) => {
      throw new Error(
        `CHAT.UNREACHABLE: no gateway at ${this.gatewayUrl} (${String(err)}); is \`npm start\` running?`,
      );
    });
    const body = (await res.json()) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    if (body.errors?.length) {
      const e = body.errors[0]!;
      throw new Error(`${e.extensions?.code ?? 'CHAT.ERROR'}: ${e.message}`);
    }
    return body.data as T;
  }

  private turn(payload: TurnPayload): ChatTurn {
    this.conversationId = payload.conversation.id;
    this.last = payload;
    return {
      replies: payload.replies,
      outcomes: [],
      ended: payload.status === 'COMPLETED' || payload.status === 'TRANSFERRED',
    };
  }

  /** The clients the system knows, for the banner (matricules to log in with). */
  async directory(): Promise<{ matricule: string; name: string }[]> {
    const data = await this.call<{
      clients: { edges: { node: { matricule: string; firstName: string; lastName: string } }[] };
    }>('{ clients(first: 10) { edges { node { matricule firstName lastName } } } }');
    return data.clients.edges.map(({ node }) => ({
      matricule: node.matricule,
      name: `${node.firstName} ${node.lastName}`,
    }));
  }

  async start(): Promise<ChatTurn> {
    const data = await this.call<{ startConversation: TurnPayload }>(
      `mutation { startConversation(input: { channel: CHAT }) { ${TURN_FIELDS} } }`,
    );
    return this.turn(data.startConversation);
  }

  async send(text: string, sttConfidence?: number): Promise<ChatTurn> {
    if (!this.conversationId) throw new Error('CHAT.NOT_STARTED: call start() first');
    const data = await this.call<{ sendMessage: TurnPayload }>(
      `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${TURN_FIELDS} } }`,
      {
        input: {
          conversationId: this.conversationId,
          text,
          ...(sttConfidence === undefined ? {} : { sttConfidence }),
        },
      },
    );
    return this.turn(data.sendMessage);
  }

  snapshot(): unknown {
    return this.last;
  }
}
