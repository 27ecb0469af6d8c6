// Starts the real conversation service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token. The documents are
// typed from the SDL (test/generated, npm run codegen): results need no hand-written types.
import { type Principal } from '@crm/auth';
import { startServiceForTest, type GqlResult, type ServiceHarness } from '@crm/testing';
import type { ServiceDefinition } from '@crm/subgraph';
import type { ConversationContext, ConversationParts } from '../src/context';
import { ConversationCipher } from '../src/conversation/conversation.cipher';
import { envSchema } from '../src/env';
import { definition } from '../src/service';
import { graphql } from './generated';

export const ADVISOR: Principal = { sub: 'adv-42', roles: ['advisor'] };
export type GraphQLResult<T = Record<string, unknown>> = GqlResult<T>;
export type Harness = ServiceHarness<ConversationParts>;

/** The service with its parts reading `clock` (the bot's turns, its failure counts and locks). */
const withClock = (clock: () => Date): ServiceDefinition<ConversationParts, ConversationContext> => ({
  ...definition,
  setup: (runtime) => definition.setup({ ...runtime, clock }),
});

export const startHarness = (
  label: string,
  { clock, ...options }: { relay?: boolean; onQuery?: (sql: string) => void; clock?: () => Date } = {},
): Promise<Harness> =>
  startServiceForTest(clock ? withClock(clock) : definition, {
    envSchema,
    principal: ADVISOR,
    label,
    ...options,
  });

/**
 * Test data written straight to the tables, sealed as the service seals it (the database refuses
 * clear text: docs/privacy.md). `context` is the seed's context document; messages are written in
 * their order (the table's seq).
 */
export async function insertConversationRow(
  h: Harness,
  row: {
    id: string;
    claimId?: string | null;
    clientId?: string | null;
    phase?: string;
    context: Record<string, unknown>;
    createdAt: string | Date;
  },
): Promise<string> {
  const context = await new ConversationCipher(h.service.parts.vault).sealContext(row.id, row.context);
  await h.sql(
    `INSERT INTO conversations (id, sinistre_id, client_id, phase, context, date_creation, date_modification)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6)`,
    [
      row.id,
      row.claimId ?? null,
      row.clientId ?? null,
      row.phase ?? 'description',
      JSON.stringify(context),
      row.createdAt,
    ],
  );
  return row.id;
}

export async function insertMessageRows(
  h: Harness,
  rows: readonly {
    conversationId: string | null;
    claimId: string | null;
    role: string;
    text: string;
    timestamp: string | Date;
  }[],
): Promise<void> {
  const sealed = await new ConversationCipher(h.service.parts.vault).sealMessages(
    rows.map((r) => ({ ...r, id: '', sttTranscript: null, metadata: null })),
  );
  await h.sql(
    `INSERT INTO historique_conversation (conversation_id, sinistre_id, role, texte, timestamp)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::text[], $5::timestamp[])`,
    [
      sealed.map((m) => m.conversationId),
      sealed.map((m) => m.claimId),
      sealed.map((m) => m.role),
      sealed.map((m) => m.text),
      sealed.map((m) => (m.timestamp instanceof Date ? m.timestamp.toISOString() : m.timestamp)),
    ],
  );
}

/** A historique_conversation row as stored (texte, texte_stt and metadata sealed). */
export interface StoredMessage {
  id: string;
  conversation_id: string | null;
  sinistre_id: string | null;
  role: string;
  texte: string | null;
  texte_stt: string | null;
  confiance_stt: string | null;
  metadata: unknown;
}

/** The stored rows matching `where`, in their conversation's order. */
export const storedMessages = (h: Harness, where: string, params: unknown[]): Promise<StoredMessage[]> =>
  h.sql<StoredMessage>(
    `SELECT id, conversation_id, sinistre_id, role, texte, texte_stt, confiance_stt, metadata
       FROM historique_conversation WHERE ${where} ORDER BY sequence NULLS FIRST, timestamp, seq`,
    params,
  );

/** Stored rows opened as the service opens them (words null once their key is shredded). */
export async function openStoredMessages(
  h: Harness,
  rows: readonly StoredMessage[],
): Promise<StoredMessage[]> {
  const opened = await new ConversationCipher(h.service.parts.vault).openMessages(
    rows.map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      claimId: r.sinistre_id,
      text: r.texte,
      sttTranscript: r.texte_stt,
      metadata: r.metadata,
    })),
  );
  return rows.map((r, i) => ({
    ...r,
    texte: opened[i]!.text,
    texte_stt: opened[i]!.sttTranscript,
    metadata: opened[i]!.metadata,
  }));
}

/** The words of the messages matching `where` as the service reads them, in order. */
export async function messageTexts(h: Harness, where: string, params: unknown[]): Promise<(string | null)[]> {
  return (await openStoredMessages(h, await storedMessages(h, where, params))).map((m) => m.texte);
}

/** A conversation's context as stored, and as the service opens it. */
export async function conversationContext(
  h: Harness,
  id: string,
): Promise<{ stored: Record<string, unknown>; opened: Record<string, unknown> } | null> {
  const [row] = await h.sql<{ context: Record<string, unknown> }>(
    `SELECT context FROM conversations WHERE id = $1`,
    [id],
  );
  if (!row) return null;
  const [opened] = await new ConversationCipher(h.service.parts.vault).openConversations([
    { id, context: structuredClone(row.context) },
  ]);
  return { stored: row.context, opened: opened!.context };
}

// One turn of the bot, as the tests read it (typed from the SDL, test/generated).
graphql(`
  fragment TurnFields on ConversationTurn {
    conversation {
      id
      phase
      status
      channel
      version: updatedAt
    }
    reply
    replies
    phase
    status
    collected
  }
`);

export const START_CONVERSATION = graphql(`
  mutation StartConversation($input: StartConversationInput) {
    startConversation(input: $input) {
      ...TurnFields
    }
  }
`);

export const SEND_MESSAGE = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      ...TurnFields
    }
  }
`);

export const AUTHENTICATION_ALERTS = graphql(`
  query AuthenticationAlerts($first: Int) {
    authenticationAlerts(first: $first) {
      id
      matriculeHint
      client {
        id
      }
      conversation {
        id
      }
      lockout
      failures
      lockedAt
      lockedUntil
      active
    }
  }
`);
