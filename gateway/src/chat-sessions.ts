// POST /chat/sessions: the chat widget of the insurer's website opens a conversation with the bot
// without any account. The gateway opens it through the graph as CHAT_WIDGET (a principal no
// token can carry) and answers with the bot's greeting and a conversation token: the visitor's
// bearer token for that one conversation (sendMessage in it, read it, follow it live), valid
// one hour. Everything else in the graph refuses it (each subgraph's policies).
//
//   curl -X POST localhost:4000/chat/sessions -H 'content-type: application/json' -d '{}'
//   -> 201 { conversationId, token, expiresAt, turn: { reply, replies, phase, status, channel, messages } }
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  CHAT_WIDGET,
  CONVERSATION_TOKEN_TTL_SECONDS,
  issueConversationToken,
  type InternalTokenSigner,
} from '@crm/auth';
import type { Logger } from '@crm/logging';
import { readBody, sendGraphQLError, sendJson } from '@crm/subgraph';
import type { GatewayContext } from './subgraph-calls';

export const CHAT_SESSIONS_PATH = '/chat/sessions';
const CHANNELS = ['CHAT', 'VOICE', 'WEB'] as const;

const START = `mutation OpenChatSession($input: StartConversationInput) {
  startConversation(input: $input) {
    reply
    replies
    phase
    status
    conversation { id channel startedAt }
    messages { id role text audioUrl }
  }
}`;

interface Started {
  startConversation: {
    reply: string;
    replies: string[];
    phase: string;
    status: string;
    conversation: { id: string; channel: string; startedAt: string };
    messages: { id: string; role: string; text: string | null; audioUrl: string | null }[];
  };
}

export async function openChatSession(
  req: IncomingMessage,
  res: ServerResponse,
  deps: {
    apollo: ApolloServer<GatewayContext>;
    tokens: InternalTokenSigner;
    logger: Logger;
    context: Omit<GatewayContext, 'principal'>;
    now?: () => number;
  },
): Promise<void> {
  if (req.method !== 'POST') {
    return sendJson(
      res,
      405,
      { errors: [{ message: 'use POST', extensions: { code: 'BAD_REQUEST' } }] },
      { allow: 'POST' },
    );
  }
  const raw = await readBody(req, 4_096);
  let channel: (typeof CHANNELS)[number] = 'CHAT';
  if (raw.trim()) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendGraphQLError(res, 400, 'BAD_REQUEST', 'the body is not JSON');
    }
    const asked = (body as { channel?: unknown } | null)?.channel;
    if (asked !== undefined) {
      const normalized = typeof asked === 'string' ? asked.trim().toUpperCase() : '';
      if (!(CHANNELS as readonly string[]).includes(normalized)) {
        return sendGraphQLError(
          res,
          400,
          'VALIDATION.FAILED',
          `channel must be one of ${CHANNELS.join(', ')}`,
        );
      }
      channel = normalized as (typeof CHANNELS)[number];
    }
  }
  const result = await deps.apollo.executeOperation<Started>(
    { query: START, variables: { input: { channel } } },
    { contextValue: { ...deps.context, principal: CHAT_WIDGET } },
  );
  const single = result.body.kind === 'single' ? result.body.singleResult : undefined;
  const started = single?.data?.startConversation;
  if (!started) {
    deps.logger.error(
      { errors: single?.errors?.map((e) => e.extensions?.code ?? e.message) },
      'chat session not opened',
    );
    return sendGraphQLError(
      res,
      503,
      'CHAT.UNAVAILABLE',
      'the assistant cannot open a conversation right now',
    );
  }
  const now = Math.floor((deps.now ?? Date.now)() / 1000);
  const token = await issueConversationToken(
    deps.tokens,
    started.conversation.id,
    CONVERSATION_TOKEN_TTL_SECONDS,
    now,
  );
  sendJson(
    res,
    201,
    {
      conversationId: started.conversation.id,
      token,
      expiresAt: new Date((now + CONVERSATION_TOKEN_TTL_SECONDS) * 1000).toISOString(),
      turn: {
        reply: started.reply,
        replies: started.replies,
        phase: started.phase,
        status: started.status,
        channel: started.conversation.channel,
        // the greeting's audio on the VOICE channel (docs/voice.md)
        messages: started.messages,
      },
    },
    { 'cache-control': 'no-store' },
  );
}
