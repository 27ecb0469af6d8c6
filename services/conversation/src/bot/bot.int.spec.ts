// The bot over real HTTP and the real database (issue 6): startConversation and sendMessage
// play the engine against the directory projection; each turn writes the context (optimistic
// version), the messages and the events in one transaction; IntakeCompleted carries the
// declaration; ClaimOpened links the conversation to its claim.
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { type Principal } from '@crm/auth';
import { lockWaiters, waitFor } from '@crm/testing';
import { graphql } from '../../test/generated';
import type { StartConversationInput, TurnFieldsFragment } from '../../test/generated/graphql';
import {
  conversationContext,
  messageTexts,
  openStoredMessages,
  SEND_MESSAGE,
  START_CONVERSATION,
  startHarness,
  storedMessages,
  type Harness,
} from '../../test/harness';
import { CLAIM_LINK_CONSUMER } from '../conversation/claim-link.consumer';
import { AUTONOMOUS_COLLISION_SCRIPT } from '../engine';
import { DIRECTORY_CONSUMER } from '../directory/directory.consumer';

const LINKED_CONVERSATION = graphql(`
  query LinkedConversation($id: ID!) {
    conversation(id: $id) {
      claim {
        id
      }
      context
    }
  }
`);

const CONVERSATION_INTAKE = graphql(`
  query ConversationIntake($id: ID!) {
    conversation(id: $id) {
      intake {
        cciScore
        cciFactors {
          code
          label
          points
        }
        completeness
        missingFacts
        liabilityRule
        liabilityReason
      }
    }
  }
`);

const CLAIM_HISTORY_TEXTS = graphql(`
  query ClaimHistoryTexts($c: ID!) {
    claimHistory(claimId: $c) {
      text
    }
  }
`);

graphql(`
  fragment StoredConversation on Conversation {
    id
    phase
    status
    channel
    context
    startedAt
    updatedAt
    owner
    lastSequence
    claim {
      id
    }
    client {
      id
    }
  }
`);

const SEND_FOR_CONVERSATION = graphql(`
  mutation SendForConversation($input: SendMessageInput!) {
    sendMessage(input: $input) {
      conversation {
        ...StoredConversation
      }
    }
  }
`);

const READ_CONVERSATION = graphql(`
  query ReadConversation($id: ID!) {
    conversation(id: $id) {
      ...StoredConversation
    }
  }
`);

interface OutboxRow {
  event_type: string;
  message_key: string;
  payload: { id: string; causationId: string | null; actor: { kind: string }; data: Record<string, unknown> };
}

describe('conversation subgraph: the bot', () => {
  let h: Harness;
  const clientId = randomUUID();
  const contractId = randomUUID();
  // the policyholder (Dupont Jean) talking to the bot with his own token: once the bot has
  // authenticated him, the conversation is bound to him and only he (or staff) talks in it
  const CLIENT: Principal = { sub: clientId, roles: ['client'] };

  /** every statement the service sends to its database (the turn's, its audit's, the relay's) */
  const queries: string[] = [];

  beforeAll(async () => {
    h = await startHarness('conv_bot', { onQuery: (sql) => queries.push(sql) });
    const events = [
      h.event(
        'ClientRegistered',
        {
          clientId,
          matricule: 'AB-123-CD',
          civility: 'M.',
          lastName: 'Dupont',
          firstName: 'Jean',
          status: 'ACTIVE',
          registeredAt: '2019-03-01T09:00:00.000Z',
        },
        clientId,
      ),
      h.event(
        'ContractIssued',
        {
          contractId,
          clientId,
          matricule: 'AB-123-CD',
          contractNumber: 'AUTO-2019-0042',
          type: 'AUTO',
          status: 'ACTIVE',
          subscribedOn: '2019-03-15',
          coverages: ['rc', 'dommages_tous_accidents'],
          issuedAt: '2019-03-15T09:00:00.000Z',
        },
        clientId,
      ),
    ];
    await h.send(...events);
    await h.processed(DIRECTORY_CONSUMER, ...events.map((e) => e.id));
  });
  afterAll(() => h.stop());
  // every event consumed here is valid and applicable: nothing may reach a dead-letter topic
  afterEach(() => {
    expect(h.transport.records('crm.identity.events.v1.dlq')).toEqual([]);
    expect(h.transport.records('crm.claims.events.v1.dlq')).toEqual([]);
  });

  const start = (input?: StartConversationInput) => h.gql(START_CONVERSATION, input ? { input } : {}, CLIENT);
  const send = (conversationId: string, text: string, sttConfidence?: number) =>
    h.gql(SEND_MESSAGE, { input: { conversationId, text, sttConfidence } }, CLIENT);

  async function say(conversationId: string, ...texts: string[]): Promise<TurnFieldsFragment[]> {
    const turns: TurnFieldsFragment[] = [];
    for (const text of texts) {
      const res = await send(conversationId, text);
      expect(res.errors).toBeUndefined();
      turns.push(res.data!.sendMessage);
    }
    return turns;
  }

  const outboxOf = (conversationId: string) =>
    // personal fields opened, as the consumers read them (stored sealed: conversation.privacy)
    h.outboxRows('message_key = $1', [conversationId]) as unknown as Promise<OutboxRow[]>;

  it('greets, authenticates by matricule against the projection, and persists every turn', async () => {
    const started = await start({ channel: 'VOICE' });
    expect(started.errors).toBeUndefined();
    const turn = started.data!.startConversation;
    expect(turn).toMatchObject({ phase: 'AUTHENTICATION', status: 'ACTIVE', collected: {} });
    expect(turn.reply).toContain('numéro de matricule');
    expect(turn.conversation).toMatchObject({ phase: 'AUTHENTICATION', status: 'ACTIVE', channel: 'VOICE' });
    const id = turn.conversation.id;

    const [identify] = await say(id, 'ab 123 cd');
    expect(identify!.reply).toBe(
      'Merci ! Vous êtes bien Dupont Jean, contrat AUTO-2019-0042, assuré depuis le 15 mars 2019 ?',
    );
    expect(identify!.collected).toMatchObject({ matricule: 'AB-123-CD' });

    const [row] = await h.sql<{
      version: number;
      phase: string;
      client_id: string | null;
    }>(`SELECT version, phase, client_id FROM conversations WHERE id = $1`, [id]);
    expect(row!.version).toBe(2);
    expect(row!.phase).toBe('auth');
    const context = (await conversationContext(h, id))!;
    expect(context.opened.messages).toHaveLength(3);
    // at rest: the ids and the phase in clear, what was said sealed (issue 18)
    // (jsonb keeps its keys in its own order: compared sorted)
    expect(Object.keys(context.stored).sort()).toEqual([
      'client_id',
      'conversation_id',
      'phase_actuelle',
      'scelle',
      'sinistre_id',
    ]);
    expect(JSON.stringify(context.stored)).not.toMatch(/Dupont|123/);
    const messages = await openStoredMessages(h, await storedMessages(h, 'conversation_id = $1', [id]));
    expect(messages.map((m) => m.role)).toEqual(['bot', 'user', 'bot']);
    expect(messages[1]!.texte).toBe('ab 123 cd');
    const outbox = (await outboxOf(id)).filter((o) => o.event_type !== 'MessageAudioReady');
    expect(outbox.map((o) => [o.event_type, o.payload.actor.kind])).toEqual([
      ['MessageRecorded', 'bot'],
      ['MessageRecorded', 'client'],
      ['MessageRecorded', 'bot'],
    ]);
    // the bot's reply is caused by the client's message
    expect(outbox[2]!.payload.causationId).toBe(outbox[1]!.payload.id);
    // a VOICE conversation: each bot message's audio follows (within the turn's wait or after
    // it), announced once, on behalf of whoever asked the turn
    const audio = await waitFor('the audio of both bot messages', async () => {
      const ready = (await outboxOf(id)).filter((o) => o.event_type === 'MessageAudioReady');
      return ready.length >= 2 && ready;
    });
    expect(audio.map((o) => o.payload.data.messageId).sort()).toEqual(
      [outbox[0]!, outbox[2]!].map((o) => o.payload.data.messageId).sort(),
    );
    expect(audio.map((o) => o.payload.actor.kind)).toEqual(['client', 'client']);
  });

  it('declares a claim to the end: IntakeCompleted with everything collected, then links the opened claim', async () => {
    const id = (await start()).data!.startConversation.conversation.id;
    const turns = await say(id, ...AUTONOMOUS_COLLISION_SCRIPT);
    const final = turns[turns.length - 1]!;
    expect(final.reply).toContain('Votre cas peut être traité automatiquement');
    expect(final).toMatchObject({ phase: 'DECISION', status: 'COMPLETED' });
    expect(final.collected).toMatchObject({
      decision: 'autonome',
      type_sinistre: 'collision',
      constat_amiable: true,
    });

    const [conv] = await h.sql<{
      reserved_claim_id: string;
      client_id: string;
      status: string;
      version: number;
    }>(`SELECT reserved_claim_id, client_id, status, version FROM conversations WHERE id = $1`, [id]);
    expect(conv).toMatchObject({ client_id: clientId, status: 'completed', version: 10 });

    const outbox = await outboxOf(id);
    const intakes = outbox.filter((o) => o.event_type === 'IntakeCompleted');
    expect(intakes).toHaveLength(1);
    const intake = intakes[0]!.payload.data;
    expect(intake).toMatchObject({
      conversationId: id,
      claimId: conv!.reserved_claim_id,
      clientId,
      contractId,
      matricule: 'AB-123-CD',
      channel: 'CHAT',
      claim: {
        claimType: 'COLLISION',
        place: 'rue de la République à Lyon',
        injuries: false,
        amicableReport: true,
        documentsProvided: true,
        estimatedDamage: '800.00',
      },
      facts: { claimType: 'collision', estimatedDamage: 800, contractStatus: 'actif' },
      decision: { handling: 'AUTONOMOUS' },
    });
    expect((intake.decision as { cciScore: number }).cciScore).toBeLessThan(40);
    const rows = await messageTexts(h, 'conversation_id = $1', [id]);
    expect((intake.transcript as { text: string }[]).map((m) => m.text)).toEqual(rows);
    expect(outbox.filter((o) => o.event_type === 'MessageRecorded')).toHaveLength(rows.length);
    expect(outbox.some((o) => o.event_type === 'HandoffRequested')).toBe(false);

    // the claims service opens the claim under the reserved id: the conversation follows
    const claimId = conv!.reserved_claim_id;
    const opened = h.event(
      'ClaimOpened',
      {
        claimId,
        claimNumber: 'SIN-2026-0042',
        clientId,
        contractId,
        claimType: 'COLLISION',
        occurredOn: '2026-11-17',
        description: 'créneau',
        channel: 'CHAT',
      },
      claimId,
    );
    await h.send(opened);
    await h.processed(CLAIM_LINK_CONSUMER, opened.id);
    const linked = await h.gql(LINKED_CONVERSATION, { id });
    expect(linked.data!.conversation!.claim).toEqual({ id: claimId });
    // context is JSON (unknown): its seed key is read by path
    expect(linked.data!.conversation!.context).toHaveProperty('sinistre_id', claimId);
    const history = await h.gql(CLAIM_HISTORY_TEXTS, { c: claimId });
    expect(history.data!.claimHistory.map((m) => m.text)).toEqual(rows);
    // _entities is federation's, not in the SDL: codegen cannot type it, the result is read as unknown
    const entity = await h.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Claim { conversation { id } } } }`,
      { r: [{ __typename: 'Claim', id: claimId }] },
    );
    expect(entity.data).toHaveProperty(['_entities', 0, 'conversation'], { id });
  });

  it('escalates an injury claim: IntakeCompleted ESCALATED and HandoffRequested', async () => {
    const id = (await start()).data!.startConversation.conversation.id;
    const turns = await say(
      id,
      'ab 123 cd',
      'oui c’est bien moi',
      "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière, avant-hier vers 8h sur le boulevard Voltaire à Paris",
      "oui, j'ai mal au cou",
      'oui',
      'oui les policiers sont venus',
      'oui',
      'je ne sais pas',
      'oui',
    );
    expect(turns[turns.length - 1]).toMatchObject({ phase: 'TRANSFER', status: 'TRANSFERRED' });
    const outbox = await outboxOf(id);
    const intake = outbox.find((o) => o.event_type === 'IntakeCompleted')!.payload.data;
    expect(intake).toMatchObject({ decision: { handling: 'ESCALATED' }, claim: { injuries: true } });
    const handoff = outbox.find((o) => o.event_type === 'HandoffRequested')!.payload.data;
    expect(handoff).toMatchObject({
      conversationId: id,
      clientId,
      reason: 'ESCALATED',
      claimId: intake.claimId,
    });
  });

  it('keeps the claim file as the client talks: the advisor reads its CCI and completeness, the client does not', async () => {
    const ADVISOR: Principal = { sub: randomUUID(), roles: ['advisor'] };
    const id = (await start()).data!.startConversation.conversation.id;
    const read = async () => (await h.gql(CONVERSATION_INTAKE, { id }, ADVISOR)).data!.conversation!.intake;
    await say(id, 'ab 123 cd', 'oui c’est bien moi');
    // no claim described yet: no file
    expect(await read()).toBeNull();
    await say(id, "Une camionnette m'a refusé la priorité et m'a percuté hier vers 9h, rue Garibaldi à Lyon");
    const first = (await read())!;
    expect(first).toMatchObject({
      liabilityRule: 'REFUS_PRIORITE',
      liabilityReason: expect.stringContaining('priorité'),
      missingFacts: [
        'blessures',
        'constat_amiable',
        'police_intervenue',
        'documents_disponibles',
        'estimation_dommage',
      ],
    });
    expect(first.cciFactors.map((f) => f.code)).toEqual(
      expect.arrayContaining(['TYPE_COLLISION', 'THIRD_PARTY_INVOLVED', 'THIRD_PARTY_RESPONSIBLE']),
    );
    expect(first.cciScore).toBe(first.cciFactors.reduce((sum, f) => sum + f.points, 0));
    await say(id, 'oui, mon passager a mal au dos');
    const second = (await read())!;
    expect(second.cciScore).toBeGreaterThan(first.cciScore);
    expect(second.completeness).toBeGreaterThan(first.completeness);
    expect(second.missingFacts).not.toContain('blessures');
    // the policyholder reads his conversation, not its CCI
    const mine = await h.gql(CONVERSATION_INTAKE, { id }, CLIENT);
    expect(mine.errors?.map((e) => e.extensions.code)).toEqual(['AUTH.FORBIDDEN']);
  });

  it('does not authenticate an unknown matricule', async () => {
    const id = (await start()).data!.startConversation.conversation.id;
    const [turn] = await say(id, 'zz 999 zz');
    expect(turn!.reply).not.toContain('Vous êtes bien');
    expect(turn!.phase).toBe('AUTHENTICATION');
    const [row] = await h.sql<{ client_id: string | null }>(
      `SELECT client_id FROM conversations WHERE id = $1`,
      [id],
    );
    expect(row!.client_id).toBeNull();
  });

  it("refuses another policyholder's token in a conversation bound to a client", async () => {
    const id = (await start()).data!.startConversation.conversation.id;
    await say(id, 'AB-123-CD', 'oui');
    const intruder: Principal = { sub: randomUUID(), roles: ['client'] };
    const res = await h.gql(SEND_MESSAGE, { input: { conversationId: id, text: 'bonjour' } }, intruder);
    expect(res.errors?.map((e) => e.extensions.code)).toEqual(['AUTH.FORBIDDEN']);
    const [row] = await h.sql<{ version: number }>(`SELECT version FROM conversations WHERE id = $1`, [id]);
    expect(row!.version).toBe(3); // the intruder's turn wrote nothing
  });

  it('rejects bad input and unknown conversations with stable codes', async () => {
    const bad = await h.gql(SEND_MESSAGE, { input: { conversationId: 'x', text: '  ', sttConfidence: 2 } });
    expect(bad.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    const problems = (bad.errors![0]!.extensions.details as { problems: { field: string }[] }).problems;
    expect(problems.map((p) => p.field).sort()).toEqual(['conversationId', 'sttConfidence', 'text']);
    const tooLong = await send(randomUUID(), 'a'.repeat(2001));
    expect(tooLong.errors![0]!.extensions.code).toBe('VALIDATION.FAILED');
    const missing = await send(randomUUID(), 'bonjour');
    expect(missing.errors![0]!.extensions.code).toBe('CONVERSATION.NOT_FOUND');
    const [plain] = await h.sql<{ id: string }>(
      `INSERT INTO conversations (context) VALUES ('{}') RETURNING id`,
    );
    const notBot = await send(plain!.id, 'bonjour');
    expect(notBot.errors![0]!.extensions.code).toBe('CONVERSATION.NOT_A_BOT_CONVERSATION');
    // an unknown channel on purpose: GraphQL refuses it before the service
    const badChannel = await start({ channel: 'FAX' } as unknown as StartConversationInput);
    expect(badChannel.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it("writes a turn's row and its messages in one statement, the messages numbered after what the conversation had", async () => {
    const id = (await start()).data!.startConversation.conversation.id;
    await say(id, 'ab 123 cd', 'oui');
    const [before] = await h.sql<{ dernier_seq: number }>(
      `SELECT dernier_seq FROM conversations WHERE id = $1`,
      [id],
    );
    queries.length = 0;
    const [turn] = await say(
      id,
      'Un camion a reculé dans ma voiture garée devant chez moi, hier soir, pare-choc enfoncé',
    );
    const writes = queries.filter((q) =>
      /\b(UPDATE|INSERT INTO)\s+"?(conversations|historique_conversation)\b/i.test(q),
    );
    // one statement updates the row (version checked) and inserts the client's and the bot's messages
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/UPDATE conversations[\s\S]*INSERT INTO historique_conversation/);
    const stored = await h.sql<{ role: string; sequence: number }>(
      `SELECT role, sequence FROM historique_conversation WHERE conversation_id = $1 AND sequence > $2 ORDER BY seq`,
      [id, before!.dernier_seq],
    );
    expect(stored.map((m) => m.role)).toEqual(['user', ...turn!.replies.map(() => 'bot')]);
    expect(stored.map((m) => m.sequence)).toEqual(stored.map((_, i) => before!.dernier_seq + 1 + i));
    const [after] = await h.sql<{ dernier_seq: number }>(
      `SELECT dernier_seq FROM conversations WHERE id = $1`,
      [id],
    );
    expect(after!.dernier_seq).toBe(before!.dernier_seq + stored.length);
  });

  it('refuses a turn whose conversation changed meanwhile, and writes nothing of it', async () => {
    const id = (await start()).data!.startConversation.conversation.id;
    const before = await h.sql(`SELECT 1 FROM historique_conversation WHERE conversation_id = $1`, [id]);
    const other = new PgClient({ connectionString: h.db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [id]);
      const pending = send(id, 'ab 123 cd');
      // the turn has read version 1 and now waits on the row to write it
      await waitUntilBlocked(h);
      await other.query(`UPDATE conversations SET version = version + 1 WHERE id = $1`, [id]);
      await other.query('COMMIT');
      const res = await pending;
      expect(res.errors![0]!.extensions.code).toBe('CONVERSATION.CONCURRENT_UPDATE');
    } finally {
      await other.end();
    }
    expect(
      await h.sql(`SELECT 1 FROM historique_conversation WHERE conversation_id = $1`, [id]),
    ).toHaveLength(before.length);
    expect((await outboxOf(id)).filter((o) => o.payload.actor.kind === 'client')).toHaveLength(0);
    const retry = await send(id, 'ab 123 cd');
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.sendMessage.reply).toContain('Dupont Jean');
  });

  it('answers a turn with the conversation as stored: what a read of it returns next, a change made meanwhile included', async () => {
    const id = (await start()).data!.startConversation.conversation.id;
    const [before] = await h.sql<{ dernier_seq: number }>(
      `SELECT dernier_seq FROM conversations WHERE id = $1`,
      [id],
    );
    const other = new PgClient({ connectionString: h.db.url });
    await other.connect();
    let answered;
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [id]);
      const pending = h.gql(
        SEND_FOR_CONVERSATION,
        { input: { conversationId: id, text: 'ab 123 cd' } },
        CLIENT,
      );
      await waitUntilBlocked(h);
      // numbers taken by messages written beside the turn (an advisor's, kept for him) move the
      // sequence, not the version: the turn still writes, and must answer the row as it left it
      await other.query(`UPDATE conversations SET dernier_seq = dernier_seq + 5 WHERE id = $1`, [id]);
      await other.query('COMMIT');
      answered = await pending;
    } finally {
      await other.end();
    }
    expect(answered.errors).toBeUndefined();
    const turn = answered.data!.sendMessage.conversation;
    // read by staff: the client is named, not yet authenticated (he has not confirmed who he is)
    const read = await h.gql(
      READ_CONVERSATION,
      { id },
      { sub: `advisor-${randomUUID()}`, roles: ['advisor'] },
    );
    expect(read.errors).toBeUndefined();
    expect(turn).toEqual(read.data!.conversation);
    expect(turn.lastSequence).toBeGreaterThan(before!.dernier_seq + 5);
    // the context in clear, as the turn left it: the client named, awaiting his confirmation
    expect(turn.context).toMatchObject({ conversation_id: id, phase_actuelle: 'auth' });
    expect(JSON.stringify(turn.context)).toContain('AB-123-CD');
  });
});

/** Until the turn's UPDATE of the conversation waits on the row (watched from outside any transaction). */
async function waitUntilBlocked(h: Harness): Promise<void> {
  await waitFor(
    'the turn to reach its write',
    async () =>
      (await lockWaiters(h.sql, { query: 'update[[:space:]]+"?conversations"?[[:space:]]+set' })) > 0,
    { timeoutMs: 5_000, intervalMs: 25 },
  );
}
