// The conversation history over real HTTP and the real database (issue 4): the seed's table,
// addClaimMessage (POST /sinistres/:id/conversation), claimHistory (GET .../historique),
// Conversation, the Claim and Client extensions, and MessageRecorded through the outbox.
import { randomUUID } from 'node:crypto';
import { graphql } from '../../test/generated';
import type { AddClaimMessageInput } from '../../test/generated/graphql';
import { insertConversationRow, insertMessageRows, startHarness, type Harness } from '../../test/harness';
import {
  CLIENT_CONVERSATIONS,
  MAX_CLAIM_HISTORY,
  MAX_CLIENT_CONVERSATIONS,
  MAX_MESSAGES,
} from './conversation.repository';

const ADD_CLAIM_MESSAGE = graphql(`
  mutation AddClaimMessage($input: AddClaimMessageInput!) {
    addClaimMessage(input: $input) {
      id
      role
      text
      sttTranscript
      sttConfidence
      audioUrl
      timestamp
      metadata
    }
  }
`);

const CLAIM_HISTORY = graphql(`
  query ClaimHistory($id: ID!) {
    claimHistory(claimId: $id) {
      text
      role
      timestamp
    }
  }
`);

const CLAIM_HISTORY_IDS = graphql(`
  query ClaimHistoryIds($id: ID!) {
    claimHistory(claimId: $id) {
      id
    }
  }
`);

const CONVERSATION_WITH_MESSAGES = graphql(`
  query ConversationWithMessages($id: ID!) {
    conversation(id: $id) {
      id
      phase
      context
      startedAt
      updatedAt
      claim {
        id
      }
      client {
        id
      }
      all: messages {
        text
      }
      last2: messages(last: 2) {
        text
        role
      }
    }
  }
`);

describe('conversation subgraph: history of a claim', () => {
  let h: Harness;
  const queries: string[] = [];
  beforeAll(async () => {
    h = await startHarness('conv_history', { onQuery: (sql) => queries.push(sql) });
  });
  afterAll(() => h.stop());

  const add = (input: AddClaimMessageInput) => h.gql(ADD_CLAIM_MESSAGE, { input });

  const insertConversation = (claimId: string | null, clientId: string | null, createdAt: string) =>
    insertConversationRow(h, {
      id: randomUUID(),
      claimId,
      clientId,
      context: { phase_actuelle: 'description', data_collectee: { nom: 'Dupont' } },
      createdAt,
    });

  it('creates the seed table with its constraints and index', async () => {
    const columns = await h.sql<{
      column_name: string;
      data_type: string;
      character_maximum_length: number | null;
    }>(
      `SELECT column_name, data_type, character_maximum_length FROM information_schema.columns
       WHERE table_name = 'historique_conversation' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.character_maximum_length])).toEqual([
      ['id', 'uuid', null],
      ['sinistre_id', 'uuid', null],
      ['conversation_id', 'uuid', null],
      ['role', 'character varying', 20],
      ['texte', 'text', null],
      // a ciphertext (issue 18); the 500 characters of the seed are the input's bound (MAX_STT_TRANSCRIPT)
      ['texte_stt', 'text', null],
      ['confiance_stt', 'numeric', null],
      ['audio_url', 'character varying', 255],
      ['timestamp', 'timestamp without time zone', null],
      ['metadata', 'jsonb', null],
      ['seq', 'bigint', null],
      // the live handoff: the advisor who wrote it, its number in its conversation
      ['conseiller_id', 'uuid', null],
      ['sequence', 'integer', null],
    ]);
    const indexes = await h.sql<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'historique_conversation'`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining(['idx_conversation_sinistre', 'idx_historique_conversation_sequence']),
    );
    await expect(
      h.sql(`INSERT INTO historique_conversation (role, texte) VALUES ('admin', NULL)`),
    ).rejects.toThrow(/chk_historique_conversation_role/);
    await expect(
      h.sql(`INSERT INTO historique_conversation (role, texte, confiance_stt) VALUES ('user', NULL, 1.5)`),
    ).rejects.toThrow(/numeric field overflow|chk_historique_conversation_confiance/);
    await expect(
      h.sql(`INSERT INTO historique_conversation (role, texte, confiance_stt) VALUES ('user', NULL, -0.1)`),
    ).rejects.toThrow(/chk_historique_conversation_confiance/);
    // clear words are refused (issue 18: ciphertexts only)
    await expect(
      h.sql(`INSERT INTO historique_conversation (role, texte) VALUES ('user', 'x')`),
    ).rejects.toThrow(/historique_conversation_personal_encrypted_check/);
    await expect(h.sql(`INSERT INTO conversations (phase) VALUES ('fini')`)).rejects.toThrow(
      /chk_conversations_phase/,
    );
    await expect(
      h.sql(`INSERT INTO historique_conversation (role, texte, conversation_id) VALUES ('user', NULL, $1)`, [
        randomUUID(),
      ]),
    ).rejects.toThrow(/foreign key/);
  });

  it('adds a message to a claim and publishes MessageRecorded in the same transaction', async () => {
    const claimId = randomUUID();
    const res = await add({
      claimId,
      role: 'USER',
      text: "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière",
      sttTranscript: 'j etais arrete au feu rouge une voiture m a percute par l arriere',
      sttConfidence: 0.876,
      audioUrl: 'https://audio.example.test/m1.mp3',
      metadata: { langue: 'fr-FR' },
    });
    expect(res.errors).toBeUndefined();
    const msg = res.data!.addClaimMessage;
    expect(msg).toMatchObject({
      role: 'USER',
      text: "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière",
      sttConfidence: 0.88,
      audioUrl: 'https://audio.example.test/m1.mp3',
      metadata: { langue: 'fr-FR' },
    });
    expect(Math.abs(Date.parse(msg.timestamp) - Date.now())).toBeLessThan(60_000);

    const [row] = await h.sql<Record<string, unknown>>(
      `SELECT * FROM historique_conversation WHERE id = $1`,
      [msg.id],
    );
    expect(row).toMatchObject({
      sinistre_id: claimId,
      conversation_id: null,
      role: 'user',
      confiance_stt: '0.88',
    });

    // as stored, what was said is sealed under the claim's key (docs/privacy.md, Events)...
    const [stored] = await h.sql<{ payload: { sealed?: { subject: string; fields: string[] } } }>(
      `SELECT payload FROM event_outbox WHERE payload->'data'->>'messageId' = $1`,
      [msg.id],
    );
    expect(stored!.payload.sealed).toMatchObject({
      subject: claimId,
      fields: ['text', 'sttTranscript', 'metadata'],
    });
    expect(JSON.stringify(stored)).not.toMatch(/feu rouge|fr-FR/);
    // ...and reads whole once opened, as its consumers read it
    const outbox = (await h.outboxRows(`payload->'data'->>'messageId' = $1`, [msg.id])) as unknown as {
      event_type: string;
      message_key: string;
      payload: { data: Record<string, unknown> } & Record<string, unknown>;
    }[];
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.event_type).toBe('MessageRecorded');
    expect(outbox[0]!.message_key).toBe(claimId);
    expect(outbox[0]!.payload).toMatchObject({
      source: 'conversation',
      subject: claimId,
      actor: { kind: 'advisor', id: 'adv-42' },
      data: { messageId: msg.id, claimId, role: 'USER', sttConfidence: 0.88, metadata: { langue: 'fr-FR' } },
    });
    expect(outbox[0]!.payload.data.conversationId).toBeUndefined();
  });

  it('accepts a speech-only message and rejects bad input with every problem', async () => {
    const claimId = randomUUID();
    const speech = await add({
      claimId,
      role: 'USER',
      sttTranscript: 'oui c est bien moi',
      sttConfidence: 0.5,
    });
    expect(speech.errors).toBeUndefined();
    expect(speech.data!.addClaimMessage).toMatchObject({ text: null, sttTranscript: 'oui c est bien moi' });

    const bad = await add({
      claimId: 'not-a-uuid',
      role: 'BOT',
      text: '  ',
      sttConfidence: 1.5,
      audioUrl: 'nope',
    });
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    const problems = (bad.errors![0]!.extensions.details as { problems: { field: string }[] }).problems;
    expect(problems.map((p) => p.field).sort()).toEqual([
      'audioUrl',
      'claimId',
      'sttConfidence',
      'text',
      'text',
    ]);

    const tooLong = await add({ claimId, role: 'USER', sttTranscript: 'x'.repeat(501) });
    expect(tooLong.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');

    // an unknown role on purpose: GraphQL refuses it before the service
    const badRole = await add({ claimId, role: 'ADMIN', text: 'x' } as unknown as AddClaimMessageInput);
    expect(badRole.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');

    const rows = await h.sql(`SELECT 1 FROM historique_conversation WHERE sinistre_id = $1`, [claimId]);
    expect(rows).toHaveLength(1);
  });

  it('writes neither the message nor the event when the transaction fails', async () => {
    const claimId = randomUUID();
    await h.sql(`CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$`);
    await h.sql(
      `CREATE TRIGGER refuse_outbox BEFORE INSERT ON event_outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()`,
    );
    try {
      const res = await add({ claimId, role: 'SYSTEM', text: 'Dossier transmis au conseiller' });
      expect(res.errors![0]!.extensions.code).toBe('INTERNAL');
    } finally {
      await h.sql(`DROP TRIGGER refuse_outbox ON event_outbox`);
      await h.sql(`DROP FUNCTION refuse_outbox()`);
    }
    expect(
      await h.sql(`SELECT 1 FROM historique_conversation WHERE sinistre_id = $1`, [claimId]),
    ).toHaveLength(0);
    expect(
      await h.sql(`SELECT 1 FROM event_outbox WHERE payload->'data'->>'claimId' = $1`, [claimId]),
    ).toHaveLength(0);
  });

  it('returns the history of a claim in chronological order (claimHistory)', async () => {
    const claimId = randomUUID();
    for (const text of ['premier', 'deuxième', 'troisième']) {
      const r = await add({ claimId, role: text === 'deuxième' ? 'BOT' : 'USER', text });
      expect(r.errors).toBeUndefined();
    }
    await add({ claimId: randomUUID(), role: 'USER', text: 'un autre dossier' });
    const res = await h.gql(CLAIM_HISTORY, { id: claimId });
    expect(res.data!.claimHistory.map((m) => [m.text, m.role])).toEqual([
      ['premier', 'USER'],
      ['deuxième', 'BOT'],
      ['troisième', 'USER'],
    ]);
    const ts = res.data!.claimHistory.map((m) => Date.parse(m.timestamp));
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);

    const none = await h.gql(CLAIM_HISTORY_IDS, { id: randomUUID() });
    expect(none.data!.claimHistory).toEqual([]);
    const invalid = await h.gql(`{ claimHistory(claimId: "x") { id } }`);
    expect(invalid.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
  });

  it('reads a conversation with its latest messages, and says when it does not exist', async () => {
    const claimId = randomUUID();
    const clientId = randomUUID();
    const id = await insertConversation(claimId, clientId, '2026-02-02T14:30:00Z');
    await insertMessageRows(
      h,
      [
        ['bot', 'Bonjour', '2026-02-02T14:30:00Z'],
        ['user', 'AB-123-CD', '2026-02-02T14:30:05Z'],
        ['bot', 'Vous êtes bien Jean Dupont ?', '2026-02-02T14:30:05Z'],
      ].map(([role, text, timestamp]) => ({
        conversationId: id,
        claimId,
        role: role!,
        text: text!,
        timestamp: timestamp!,
      })),
    );
    const res = await h.gql(CONVERSATION_WITH_MESSAGES, { id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.conversation).toMatchObject({
      id,
      phase: 'DESCRIPTION',
      context: { phase_actuelle: 'description', data_collectee: { nom: 'Dupont' } },
      startedAt: '2026-02-02T14:30:00.000Z',
      claim: { id: claimId },
      client: { id: clientId },
      all: [{ text: 'Bonjour' }, { text: 'AB-123-CD' }, { text: 'Vous êtes bien Jean Dupont ?' }],
      last2: [
        { text: 'AB-123-CD', role: 'USER' },
        { text: 'Vous êtes bien Jean Dupont ?', role: 'BOT' },
      ],
    });

    const missing = await h.gql(`query($id: ID!) { conversation(id: $id) { id } }`, { id: randomUUID() });
    expect(missing.errors![0]!.extensions.code).toBe('CONVERSATION.NOT_FOUND');
    expect(missing.data).toEqual({ conversation: null });
    const badLast = await h.gql(`query($id: ID!) { conversation(id: $id) { messages(last: 0) { id } } }`, {
      id,
    });
    expect(badLast.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
  });

  it('resolves Conversation, Claim and Client entities, batched', async () => {
    const clientA = randomUUID();
    const claims = [randomUUID(), randomUUID(), randomUUID()];
    const older = await insertConversation(claims[0]!, clientA, '2026-01-01T10:00:00Z');
    const newer = await insertConversation(null, clientA, '2026-03-01T10:00:00Z');
    for (const claimId of claims) {
      for (const text of ['un', 'deux', 'trois'])
        await add({ claimId, role: 'USER', text: `${text} ${claimId}` });
    }

    // _entities is federation's, not in the SDL: codegen cannot type it, the results are read as
    // unknown, by path
    const conv = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Conversation { id phase client { id } } } }`,
      {
        reps: [
          { __typename: 'Conversation', id: older },
          { __typename: 'Conversation', id: randomUUID() },
          { __typename: 'Conversation', id: 'not-a-uuid' },
        ],
      },
    );
    expect(conv.errors).toBeUndefined();
    expect(conv.data!._entities).toEqual([
      { id: older, phase: 'DESCRIPTION', client: { id: clientA } },
      null,
      null,
    ]);

    queries.length = 0;
    const claimRes = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
         ... on Claim { id conversation { id } messages(last: 2) { text } }
       } }`,
      { reps: claims.map((id) => ({ __typename: 'Claim', id })) },
    );
    expect(claimRes.errors).toBeUndefined();
    expect(claimRes.data).toHaveProperty(
      '_entities',
      claims.map((id): unknown => expect.objectContaining({ id })),
    );
    expect(claimRes.data).toHaveProperty(['_entities', 0, 'conversation'], { id: older });
    expect(claimRes.data).toHaveProperty(['_entities', 1, 'conversation'], null);
    claims.forEach((id, i) =>
      expect(claimRes.data).toHaveProperty(
        ['_entities', i, 'messages'],
        [{ text: `deux ${id}` }, { text: `trois ${id}` }],
      ),
    );
    // one query for the three claims' messages and one for their conversations: no N+1
    expect(queries.filter((q) => /FROM "historique_conversation"/i.test(q))).toHaveLength(1);
    expect(queries.filter((q) => /FROM "conversations"/i.test(q))).toHaveLength(1);

    const clientRes = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Client { id conversations { id } } } }`,
      {
        reps: [
          { __typename: 'Client', id: clientA },
          { __typename: 'Client', id: randomUUID() },
        ],
      },
    );
    expect(clientRes.errors).toBeUndefined();
    expect(clientRes.data).toHaveProperty(['_entities', 0, 'conversations'], [{ id: newer }, { id: older }]);
    expect(clientRes.data).toHaveProperty(['_entities', 1, 'conversations'], []);
  });

  it('bounds every list it returns, keeping the newest: claimHistory, messages without last, Client.conversations', async () => {
    const claimId = randomUUID();
    const clientId = randomUUID();
    const id = await insertConversation(claimId, clientId, '2026-01-01T00:00:00Z');
    const count = Math.max(MAX_CLAIM_HISTORY, MAX_MESSAGES) + 1;
    // m1 (the oldest) to m501, one second apart: m1 is the one left out
    await insertMessageRows(
      h,
      Array.from({ length: count }, (_, k) => ({
        conversationId: id,
        claimId,
        role: 'user',
        text: `m${k + 1}`,
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, k + 1)),
      })),
    );
    const texts = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

    const history = await h.gql(CLAIM_HISTORY, { id: claimId });
    expect(history.errors).toBeUndefined();
    expect(history.data!.claimHistory.map((m) => m.text)).toEqual(
      texts(count - MAX_CLAIM_HISTORY + 1, count),
    );

    const res = await h.gql(
      `query($id: ID!, $reps: [_Any!]!) {
         conversation(id: $id) { messages { text } }
         _entities(representations: $reps) { ... on Claim { messages { text } } }
       }`,
      { id, reps: [{ __typename: 'Claim', id: claimId }] },
    );
    expect(res.errors).toBeUndefined();
    const newest = texts(count - MAX_MESSAGES + 1, count).map((text) => ({ text }));
    expect(res.data).toHaveProperty(['conversation', 'messages'], newest);
    expect(res.data).toHaveProperty(['_entities', 0, 'messages'], newest);

    // the client's other conversations, one a day after the first: the first is left out
    const [row] = await h.sql<{ ids: string[] }>(
      `WITH c AS (
         INSERT INTO conversations (client_id, phase, context, date_creation, date_modification)
         SELECT $1, 'description', '{}'::jsonb, d, d
         FROM generate_series(1, $2::int) i, LATERAL (SELECT TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '1 day' AS d) t
         RETURNING id, date_creation)
       SELECT array_agg(id ORDER BY date_creation DESC) AS ids FROM c`,
      [clientId, MAX_CLIENT_CONVERSATIONS],
    );
    const ids = row!.ids;
    const client = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Client { conversations { id } } } }`,
      { reps: [{ __typename: 'Client', id: clientId }] },
    );
    expect(client.errors).toBeUndefined();
    expect(ids).toHaveLength(MAX_CLIENT_CONVERSATIONS);
    expect(client.data).toHaveProperty(
      ['_entities', 0, 'conversations'],
      ids.map((c) => ({ id: c })),
    );
  });

  it("finds a client's conversations for his erasure through indexes, not by reading them all", async () => {
    // the planner's cost-based choice on a small table would be a sequential scan either way:
    // forbidding it shows whether the erasure's WHERE can be answered from indexes at all
    const plan = await h.service.runtime.dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL enable_seqscan = off`);
      return tx.query<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT id FROM conversations WHERE ${CLIENT_CONVERSATIONS}`,
        [randomUUID()],
      );
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('idx_conversations_client');
    expect(text).toContain('idx_conversations_profile_client');
    expect(text).not.toContain('Seq Scan');
  });
});
