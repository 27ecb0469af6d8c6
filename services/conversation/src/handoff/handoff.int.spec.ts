// The live handoff against the real database (in-process transport): the bot's transfer makes
// the client wait and the bot fall silent, escalation's events hand him to an advisor and back,
// every message and change numbered in the conversation's sequence, and a live subscriber
// resuming after any number gets the rest once, in order. The resolution an advisor types when
// closing is sealed under the conversation's key, at rest and in its event (issue 18).
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { type AnyEvent } from '@crm/events';
import { systemCaller } from '@crm/subgraph';
import { lockWaiters, tablesText, waitFor } from '@crm/testing';
import { graphql } from '../../test/generated';
import {
  openStoredMessages,
  SEND_MESSAGE,
  START_CONVERSATION,
  startHarness,
  storedMessages,
  type Harness,
} from '../../test/harness';
import { ConversationRepository } from '../conversation/conversation.repository';
import { DIRECTORY_CONSUMER } from '../directory/directory.consumer';
import { type LiveEvent } from '../live/live.rules';
import { HANDOFF_CONSUMER } from './escalation.consumer';

const OWNERSHIP = graphql(`
  query ConversationOwnership($id: ID!) {
    conversation(id: $id) {
      owner
      lastSequence
      advisor {
        id
      }
      ownership {
        sequence
        from
        to
        cause
        reason
        advisorName
      }
      messages {
        role
        text
        sequence
        advisor {
          id
        }
      }
    }
  }
`);

const SEND_ADVISOR_MESSAGE = graphql(`
  mutation SendAdvisorMessage($input: SendAdvisorMessageInput!) {
    sendAdvisorMessage(input: $input) {
      role
      text
      sequence
      advisor {
        id
      }
    }
  }
`);

const HAND_BACK = graphql(`
  mutation HandBackToBot($input: HandBackToBotInput!) {
    handBackToBot(input: $input) {
      owner
      status
    }
  }
`);

const CLOSE = graphql(`
  mutation CloseConversation($input: CloseConversationInput!) {
    closeConversation(input: $input) {
      owner
    }
  }
`);

const SET_TYPING = graphql(`
  mutation SetTyping($input: SetTypingInput!) {
    setTyping(input: $input)
  }
`);

/** A fixed instant the test's clock starts at and moves from (never today's date). */
const T0 = Date.UTC(2031, 4, 12, 8, 0, 0);

describe('the live handoff (conversation service, PostgreSQL)', () => {
  let h: Harness;
  let now = T0;
  const clientId = randomUUID();
  const CLIENT: Principal = { sub: clientId, roles: ['client'] };
  const advisorId = randomUUID();
  const ADVISOR: Principal = { sub: advisorId, roles: ['advisor'] };
  const OTHER_ADVISOR: Principal = { sub: randomUUID(), roles: ['advisor'] };

  /** A client of the directory, who authenticates to the bot with his matricule. */
  interface Client {
    id: string;
    matricule: string;
    principal: Principal;
  }
  const CLIENT_ROCHE: Client = { id: clientId, matricule: 'HX-482-TQ', principal: CLIENT };

  async function register(client: Client, lastName: string, firstName: string): Promise<void> {
    const registered = h.event(
      'ClientRegistered',
      {
        clientId: client.id,
        matricule: client.matricule,
        civility: 'Mme',
        lastName,
        firstName,
        phone: '+33612345678',
        status: 'ACTIVE',
        registeredAt: '2020-02-01T09:00:00.000Z',
      },
      client.id,
    );
    await h.send(registered);
    await h.processed(DIRECTORY_CONSUMER, registered.id);
  }

  beforeAll(async () => {
    h = await startHarness('conv_handoff', { clock: () => new Date(now) });
    await register(CLIENT_ROCHE, 'Roche', 'Lina');
  });
  afterAll(() => h?.stop());
  afterEach(() => expect(h.transport.records('crm.escalation.events.v1.dlq')).toEqual([]));

  const send = async (conversationId: string, text: string, as: Principal = CLIENT) => {
    const res = await h.gql(SEND_MESSAGE, { input: { conversationId, text } }, as);
    expect(res.errors).toBeUndefined();
    return res.data!.sendMessage;
  };
  const read = async (id: string) => {
    const res = await h.gql(OWNERSHIP, { id }, ADVISOR);
    expect(res.errors).toBeUndefined();
    return res.data!.conversation!;
  };
  const outboxOf = async (conversationId: string, type: string) =>
    (await h.outbox(type)).filter((e) => e.subject === conversationId);
  const advisorMessages = async (conversationId: string) =>
    (await outboxOf(conversationId, 'MessageRecorded')).filter(
      (e) => e.type === 'MessageRecorded' && e.data.role === 'ADVISOR',
    );

  /** A client authenticated by the bot who then asks for a person. */
  async function waitingClient(client: Client = CLIENT_ROCHE): Promise<string> {
    const start = await h.gql(START_CONVERSATION, {}, client.principal);
    expect(start.errors).toBeUndefined();
    const id = start.data!.startConversation.conversation.id;
    await send(id, client.matricule, client.principal);
    await send(id, 'oui', client.principal);
    const transfer = await send(id, 'je veux parler à un conseiller', client.principal);
    expect(transfer.status).toBe('TRANSFERRED');
    return id;
  }

  async function deliver(consumer: string, ...events: AnyEvent[]): Promise<void> {
    await h.send(...events);
    await h.processed(consumer, ...events.map((e) => e.id));
  }

  const assigned = (conversationId: string, escalationId: string, who = advisorId, name = 'Claire Martin') =>
    h.event(
      'AdvisorAssigned',
      {
        escalationId,
        conversationId,
        advisorId: who,
        advisorName: name,
        mode: 'AUTO',
        assignedAt: new Date(now).toISOString(),
      },
      escalationId,
    );

  async function heldConversation(
    client: Client = CLIENT_ROCHE,
  ): Promise<{ id: string; escalationId: string }> {
    const id = await waitingClient(client);
    const escalationId = randomUUID();
    await deliver(
      HANDOFF_CONSUMER,
      h.event(
        'EscalationQueued',
        {
          escalationId,
          conversationId: id,
          clientId: client.id,
          priority: 10,
          reasons: ['CLIENT_REQUEST'],
          queuedAt: new Date(now).toISOString(),
        },
        escalationId,
      ),
      assigned(id, escalationId),
    );
    return { id, escalationId };
  }

  it('makes the transferred client wait: the bot falls silent and his messages are kept in sequence', async () => {
    const id = await waitingClient();
    const waiting = await read(id);
    expect(waiting.owner).toBe('WAITING_FOR_ADVISOR');
    expect(waiting.ownership).toMatchObject({
      from: 'BOT',
      to: 'WAITING_FOR_ADVISOR',
      cause: 'HANDOFF_REQUESTED',
      reason: 'CLIENT_REQUEST',
      sequence: waiting.lastSequence,
    });
    const [changed] = await outboxOf(id, 'ConversationOwnershipChanged');
    expect(changed?.data).toMatchObject({ to: 'WAITING_FOR_ADVISOR', sequence: waiting.lastSequence });

    const turn = await send(id, 'allô ? il y a quelqu’un ?');
    expect(turn.replies).toEqual([]);
    const after = await read(id);
    expect(after.lastSequence).toBe(waiting.lastSequence + 1);
    expect(after.messages.at(-1)).toMatchObject({ role: 'USER', sequence: after.lastSequence });
    // numbered 1..n without gap, messages and the ownership change sharing the numbers
    const numbers = [...after.messages.map((m) => m.sequence!), after.ownership!.sequence].sort(
      (a, b) => a - b,
    );
    expect(numbers).toEqual(Array.from({ length: after.lastSequence }, (_, i) => i + 1));
  });

  it('files a waiting client’s message under the claim linked while he wrote it', async () => {
    const id = await waitingClient();
    const claimId = randomUUID();
    await h.sql(`UPDATE conversations SET reserved_claim_id = $2 WHERE id = $1 AND sinistre_id IS NULL`, [
      id,
      claimId,
    ]);
    // the claim's ClaimOpened comes back while the client types: the link commits after his turn
    // read the conversation and before it locks it (the test holds the row to place it there)
    let pending: Promise<Awaited<ReturnType<typeof h.gql>>> | undefined;
    await h.service.runtime.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [id]);
      pending = h.gql(SEND_MESSAGE, { input: { conversationId: id, text: 'vous êtes là ?' } }, CLIENT);
      await waitFor(
        'the turn to wait for the conversation',
        async () => (await lockWaiters(h.sql, { query: 'for update' })) > 0,
      );
      expect(
        await new ConversationRepository(tx, h.service.parts.vault).linkClaim(tx, claimId, new Date(now)),
      ).toBe(id);
    });
    expect((await pending!).errors).toBeUndefined();
    const unfiled = await h.sql(
      `SELECT texte FROM historique_conversation WHERE conversation_id = $1 AND sinistre_id IS NULL`,
      [id],
    );
    expect(unfiled).toEqual([]);
    const last = (await openStoredMessages(h, await storedMessages(h, 'conversation_id = $1', [id]))).at(-1);
    expect(last).toMatchObject({ texte: 'vous êtes là ?', sinistre_id: claimId });
  });

  it('hands the waiting client to the advisor who took the entry, once, and lets only him write', async () => {
    const { id, escalationId } = await heldConversation();
    const held = await read(id);
    expect(held.owner).toBe('ADVISOR');
    expect(held.advisor?.id).toBe(advisorId);
    // the client is told the first name only
    expect(held.ownership).toMatchObject({ cause: 'ADVISOR_ASSIGNED', advisorName: 'Claire' });
    expect(held.messages.at(-1)).toMatchObject({ role: 'SYSTEM' });
    expect(held.messages.at(-1)?.text).toMatch(/^Claire, de notre équipe de conseillers, prend le relais/);

    // the same assignment again (a redelivery under another id) changes nothing
    await deliver(HANDOFF_CONSUMER, assigned(id, escalationId));
    expect((await read(id)).lastSequence).toBe(held.lastSequence);

    const written = await h.gql(
      SEND_ADVISOR_MESSAGE,
      { input: { conversationId: id, text: 'Bonjour Madame Roche, je regarde votre dossier.' } },
      ADVISOR,
    );
    expect(written.errors).toBeUndefined();
    expect(written.data!.sendAdvisorMessage).toMatchObject({
      role: 'ADVISOR',
      sequence: held.lastSequence + 1,
      advisor: { id: advisorId },
    });
    const intruder = await h.gql(
      SEND_ADVISOR_MESSAGE,
      { input: { conversationId: id, text: 'Bonjour' } },
      OTHER_ADVISOR,
    );
    expect(intruder.errors?.[0]?.extensions?.code).toBe('CONVERSATION.NOT_HOLDER');

    // the client talks to the advisor; the bot keeps quiet
    expect((await send(id, 'Merci, j’ai eu un accrochage ce matin')).replies).toEqual([]);
    const [recorded] = await advisorMessages(id);
    expect(recorded?.data).toMatchObject({ advisorId, sequence: held.lastSequence + 1 });
  });

  it('gives a live subscriber what it missed after its number, then live events, each number once', async () => {
    const { id } = await heldConversation();
    const { feed } = h.service.parts;
    const before = await read(id);
    const events: LiveEvent[] = [];
    const it = feed.subscribe(id, before.lastSequence - 2);
    const collecting = (async () => {
      for await (const e of it) events.push(e);
    })();
    await waitFor('the state and the two missed', () => events.length >= 3);
    expect(events[0]).toMatchObject({ kind: 'STATE', owner: 'ADVISOR', sequence: before.lastSequence });
    expect(events.slice(1).map((e) => e.sequence)).toEqual([before.lastSequence - 1, before.lastSequence]);

    await h.gql(
      SEND_ADVISOR_MESSAGE,
      { input: { conversationId: id, text: 'Avez-vous des photos ?' } },
      ADVISOR,
    );
    await send(id, 'Oui, je vous les envoie');
    await waitFor('both live messages', () => events.some((e) => e.sequence === before.lastSequence + 2));
    // a redelivered event is not repeated
    const [advisorSaid] = (await advisorMessages(id)).slice(-1);
    await h.send(advisorSaid!);
    await h.gql(SET_TYPING, { input: { conversationId: id, typing: true } }, CLIENT);
    await waitFor('the typing', () => events.some((e) => e.kind === 'TYPING'));
    const numbered = events.filter((e) => e.sequence !== null && e.kind !== 'STATE').map((e) => e.sequence);
    expect(numbered).toEqual([
      before.lastSequence - 1,
      before.lastSequence,
      before.lastSequence + 1,
      before.lastSequence + 2,
    ]);
    expect(events.find((e) => e.kind === 'TYPING')).toMatchObject({ participant: 'CLIENT', typing: true });
    expect(
      events
        .filter((e) => e.kind === 'MESSAGE')
        .slice(-2)
        .map((e) => e.message?.role),
    ).toEqual(['ADVISOR', 'USER']);
    const typingByOther = await h.gql(
      SET_TYPING,
      { input: { conversationId: id, typing: true } },
      OTHER_ADVISOR,
    );
    expect(typingByOther.errors?.[0]?.extensions?.code).toBe('CONVERSATION.NOT_A_PARTICIPANT');
    await it.return?.();
    await collecting;
  });

  it('tells a waiting subscriber its queue entry, and again each time the queue moves', async () => {
    const id = await waitingClient();
    const events: LiveEvent[] = [];
    const it = h.service.parts.feed.subscribe(id, null);
    const collecting = (async () => {
      for await (const e of it) events.push(e);
    })();
    await waitFor('the state', () => events.length >= 1);
    // no entry known yet: nothing to tell
    expect(events[0]).toMatchObject({ kind: 'STATE', owner: 'WAITING_FOR_ADVISOR', escalationId: null });
    const escalationId = randomUUID();
    const queued = (conversationId: string, entry: string) =>
      h.event(
        'EscalationQueued',
        {
          escalationId: entry,
          conversationId,
          priority: 10,
          reasons: ['CLIENT_REQUEST'],
          queuedAt: new Date(now).toISOString(),
        },
        entry,
      );
    await deliver(HANDOFF_CONSUMER, queued(id, escalationId));
    await waitFor('his place', () => events.some((e) => e.kind === 'QUEUE'));
    // another client queued behind him: his place may have moved, he is told again
    await h.send(queued(randomUUID(), randomUUID()));
    await waitFor('the queue moved', () => events.filter((e) => e.kind === 'QUEUE').length >= 2);
    expect(events.filter((e) => e.kind === 'QUEUE').map((e) => e.escalationId)).toEqual([
      escalationId,
      escalationId,
    ]);
    await it.return?.();
    await collecting;
  });

  it('hands back to the bot, which resumes and answers the next message', async () => {
    const { id } = await heldConversation();
    const back = await h.gql(HAND_BACK, { input: { conversationId: id } }, ADVISOR);
    expect(back.errors).toBeUndefined();
    expect(back.data!.handBackToBot.owner).toBe('BOT');
    const after = await read(id);
    expect(after.ownership).toMatchObject({ from: 'ADVISOR', to: 'BOT', cause: 'HANDED_BACK' });
    expect(after.messages.at(-1)).toMatchObject({ role: 'BOT' });
    expect(after.messages.at(-1)?.text).toMatch(/^Je reprends la suite de votre demande/);
    const next = await send(id, 'Ma voiture a été rayée sur un parking');
    expect(next.replies.length).toBeGreaterThan(0);
    const again = await h.gql(HAND_BACK, { input: { conversationId: id } }, ADVISOR);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONVERSATION.NOT_WITH_ADVISOR');
  });

  it('closes: by the advisor with his resolution, or when the entry is resolved from the queue', async () => {
    const { id } = await heldConversation();
    const closed = await h.gql(
      CLOSE,
      { input: { conversationId: id, resolution: 'Déclaration complétée par téléphone' } },
      ADVISOR,
    );
    expect(closed.data?.closeConversation.owner).toBe('CLOSED');
    const [change] = (await outboxOf(id, 'ConversationOwnershipChanged')).slice(-1);
    expect(change?.data).toMatchObject({
      to: 'CLOSED',
      cause: 'CLOSED_BY_ADVISOR',
      reason: 'Déclaration complétée par téléphone',
    });
    expect((await send(id, 'Et pour ma franchise ?')).replies[0]).toMatch(/^Cet échange est terminé/);

    const waiting = await waitingClient();
    await deliver(
      HANDOFF_CONSUMER,
      h.event(
        'EscalationResolved',
        {
          escalationId: randomUUID(),
          conversationId: waiting,
          advisorId,
          resolution: 'Client rappelé',
          resolvedAt: new Date(now).toISOString(),
        },
        waiting,
      ),
    );
    expect(await read(waiting)).toMatchObject({
      owner: 'CLOSED',
      ownership: { cause: 'ESCALATION_RESOLVED' },
    });
  });

  it('keeps the resolution typed at closing sealed, at rest and in its event, reads it back whole, and loses it with the client', async () => {
    // a client of this test alone: his erasure leaves the others' conversations as they are
    const erasedId = randomUUID();
    const client: Client = {
      id: erasedId,
      matricule: 'KZ-731-PW',
      principal: { sub: erasedId, roles: ['client'] },
    };
    await register(client, 'Vidal', 'Nora');
    const { id } = await heldConversation(client);
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const resolution = `Sinistre réglé avec ${canary} au téléphone`;

    // a live subscriber from before: the change reaches it through the service's own event
    const live: LiveEvent[] = [];
    const it = h.service.parts.feed.subscribe(id, null);
    const collecting = (async () => {
      for await (const e of it) live.push(e);
    })();
    await waitFor('the state', () => live.length >= 1);
    const closed = await h.gql(CLOSE, { input: { conversationId: id, resolution } }, ADVISOR);
    expect(closed.errors).toBeUndefined();
    await waitFor('the closing, live', () => live.some((e) => e.kind === 'OWNERSHIP'));
    expect(live.find((e) => e.kind === 'OWNERSHIP')?.ownership).toMatchObject({
      cause: 'CLOSED_BY_ADVISOR',
      reason: resolution,
    });
    await it.return?.();
    await collecting;

    // at rest: in no table in clear, the outbox included
    const tables = await tablesText(h.sql);
    expect(tables.get('conversation_proprietaires')).toMatch(/pd1:/);
    expect([...tables].filter(([, text]) => text.includes(canary.toLowerCase())).map(([t]) => t)).toEqual([]);
    // its event carries it sealed under the conversation's key; opened, it is whole
    const [stored] = await h.sql<{ payload: { data: Record<string, unknown>; sealed?: object } }>(
      `SELECT payload FROM event_outbox WHERE event_type = 'ConversationOwnershipChanged' AND message_key = $1
        ORDER BY seq DESC LIMIT 1`,
      [id],
    );
    expect(stored!.payload.sealed).toMatchObject({ subject: id, fields: ['reason'] });
    expect(stored!.payload.data).not.toHaveProperty('reason');
    expect((await outboxOf(id, 'ConversationOwnershipChanged')).at(-1)?.data).toMatchObject({
      cause: 'CLOSED_BY_ADVISOR',
      reason: resolution,
    });

    // read back: through the graph, and by a subscriber replaying the sequence from the table
    const after = await read(id);
    expect(after.ownership).toMatchObject({ cause: 'CLOSED_BY_ADVISOR', reason: resolution });
    const replayed: LiveEvent[] = [];
    const replay = h.service.parts.feed.subscribe(id, after.ownership!.sequence - 1);
    const replaying = (async () => {
      for await (const e of replay) replayed.push(e);
    })();
    await waitFor('the replayed closing', () => replayed.some((e) => e.kind === 'OWNERSHIP'));
    expect(replayed[0]).toMatchObject({ kind: 'STATE', ownership: { reason: resolution } });
    expect(replayed.find((e) => e.kind === 'OWNERSHIP')?.ownership?.reason).toBe(resolution);
    await replay.return?.();
    await replaying;

    // the client erased: the reasons of his conversation are gone, the changes of owner stay
    await deliver(
      DIRECTORY_CONSUMER,
      h.event(
        'ClientErased',
        {
          clientId: erasedId,
          contractIds: [],
          erasedAt: new Date(now).toISOString(),
          reason: 'GDPR_REQUEST',
        },
        erasedId,
      ),
    );
    expect((await read(id)).ownership).toMatchObject({
      cause: 'CLOSED_BY_ADVISOR',
      to: 'CLOSED',
      reason: null,
    });
    const reasons = await h.sql<{ cause: string; raison: string | null }>(
      `SELECT cause, raison FROM conversation_proprietaires WHERE conversation_id = $1 ORDER BY sequence`,
      [id],
    );
    expect(reasons.map((r) => r.cause)).toEqual([
      'HANDOFF_REQUESTED',
      'ADVISOR_ASSIGNED',
      'CLOSED_BY_ADVISOR',
    ]);
    expect(reasons.map((r) => r.raison)).toEqual([null, null, null]);
  });

  it('refuses a clear reason in the table itself', async () => {
    const id = await waitingClient();
    await expect(
      h.sql(
        `INSERT INTO conversation_proprietaires (id, conversation_id, sequence, de, vers, cause, raison, date)
           VALUES ($1, $2, 999, 'conseiller', 'cloture', 'CLOSED_BY_ADVISOR', 'en clair', now())`,
        [randomUUID(), id],
      ),
    ).rejects.toThrow(/conversation_proprietaires_personal_encrypted_check/);
  });

  it('offers a call-back with the number from the directory once nobody took the client in time', async () => {
    now = T0;
    const id = await waitingClient();
    const { handoff } = h.service.parts;
    const system = systemCaller('handoff.int.spec');
    now = T0 + 4 * 60_000;
    await handoff.offerCallBacks(system);
    expect(await outboxOf(id, 'CallBackOffered')).toEqual([]);

    now = T0 + 5 * 60_000;
    await handoff.offerCallBacks(system);
    await handoff.offerCallBacks(system);
    const offers = await outboxOf(id, 'CallBackOffered');
    expect(offers.map((e) => e.data)).toEqual([
      expect.objectContaining({
        phone: '+33612345678',
        callBackBy: new Date(now + 2 * 3600_000).toISOString(),
      }),
    ]);
    const said = (await read(id)).messages.at(-1);
    expect(said).toMatchObject({ role: 'BOT' });
    expect(said?.text).toContain('06 •• •• •• 78');
    expect((await read(id)).owner).toBe('WAITING_FOR_ADVISOR');
  });
});
