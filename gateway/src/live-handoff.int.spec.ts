// Issue 15's "Done when": the live handoff through the whole system, as real processes on the
// real PostgreSQL and Kafka (a namespace of its own). Two gateways, A and B, each pointed at its
// own replica of conversation and of escalation (the two services a handoff crosses; replicas
// share their database, as pods do); identity, claims and reimbursement run once. So what one
// replica commits reaches a subscriber of the other through Kafka, as in production.
//
// A chat visitor (POST /chat/sessions on gateway A, a conversation token) declares an injury
// claim to the bot, which transfers him; the advisor, subscribed on gateway B, sees the entry
// and gets it (automatic assignment, once he is available); they exchange three messages each
// way, each side receiving the other's live, in order; the bot says nothing while the advisor
// holds the conversation; the client's socket drops and comes back, on gateway B, with its last
// sequence, and receives exactly what it missed; the advisor hands back to the bot, which
// answers the client's next message.
import { issueUserToken } from '@crm/auth';
import {
  type GatewayReplica,
  type GraphQLCall,
  type ReplicatedSystem,
  startReplicatedSystem,
  SubscriptionRecorder,
  waitFor,
} from '@crm/testing';

interface LiveMessage {
  id: string;
  role: string;
  text: string | null;
  sequence: number | null;
  advisor: { id: string } | null;
}

interface Ownership {
  sequence: number;
  from: string;
  to: string;
  cause: string;
  reason: string | null;
  advisor: { id: string } | null;
  advisorName: string | null;
  escalation: { id: string } | null;
}

interface LiveEvent {
  kind: string;
  conversationId: string;
  sequence: number | null;
  owner: string | null;
  participant: string | null;
  typing: boolean | null;
  message: LiveMessage | null;
  ownership: Ownership | null;
}

// only fields of the conversation subgraph: a chat visitor may read nothing else (advisor and
// escalation are references there, their id is all it holds)
const CONVERSATION_EVENTS = `subscription Live($id: ID!, $after: Int) {
  conversationEvents(conversationId: $id, afterSequence: $after) {
    kind conversationId sequence owner participant typing
    message { id role text sequence advisor { id } }
    ownership { sequence from to cause reason advisor { id } advisorName escalation { id } }
  }
}`;

/** One graphql-ws socket following one conversation; its socket can be dropped abruptly. */
class Live extends SubscriptionRecorder<LiveEvent> {
  constructor(url: string, token: string, variables: { id: string; after?: number }) {
    super(url, token, { query: CONVERSATION_EVENTS, variables });
  }

  get events(): LiveEvent[] {
    return this.items;
  }

  /** MESSAGE and OWNERSHIP: the events that carry the conversation's sequence */
  sequenced(): LiveEvent[] {
    return this.events.filter((e) => e.kind === 'MESSAGE' || e.kind === 'OWNERSHIP');
  }

  lastSequence(): number {
    return Math.max(0, ...this.sequenced().map((e) => e.sequence ?? 0));
  }

  messages(): LiveMessage[] {
    return this.sequenced().flatMap((e) => (e.message ? [e.message] : []));
  }

  state(): Promise<LiveEvent> {
    return waitFor('the STATE event', () => this.events.find((e) => e.kind === 'STATE'), {
      timeoutMs: 20_000,
    });
  }

  event(what: string, match: (e: LiveEvent) => boolean): Promise<LiveEvent> {
    return waitFor(what, () => this.events.find(match), { timeoutMs: 30_000 });
  }
}

interface QueueChange {
  kind: string;
  entry: {
    id: string;
    status: string;
    reasons: string[];
    advisor: { id: string } | null;
    claim: { id: string } | null;
    conversation: { id: string } | null;
  } | null;
}

/** An advisor's queue subscription (escalationQueue or myAssignments). */
class Queue extends SubscriptionRecorder<QueueChange> {
  constructor(url: string, token: string, field: 'escalationQueue' | 'myAssignments') {
    super(url, token, {
      query: `subscription { ${field} {
          kind entry { id status reasons advisor { id } claim { id } conversation { id } }
        } }`,
    });
  }

  get changes(): QueueChange[] {
    return this.items;
  }

  snapshotDone(): Promise<unknown> {
    return waitFor('SNAPSHOT_COMPLETE', () => this.changes.some((c) => c.kind === 'SNAPSHOT_COMPLETE'), {
      timeoutMs: 20_000,
    });
  }
}

interface Turn {
  reply: string;
  replies: string[];
  phase: string;
  status: string;
}

const SEND_MESSAGE = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply replies phase status } }`;
const SEND_ADVISOR_MESSAGE = `mutation($input: SendAdvisorMessageInput!) {
  sendAdvisorMessage(input: $input) { id role text sequence advisor { id } }
}`;

const MATRICULE = 'LH-482-VC';
const CONTRACT_NUMBER = 'AUTO-2021-0815';

describe('live handoff: bot -> advisor -> bot, through two gateways (real processes, PostgreSQL, Kafka)', () => {
  let system: ReplicatedSystem;
  let gatewayA: GatewayReplica;
  let gatewayB: GatewayReplica;
  /** a supervisor: sets up the client and the advisors, reads what the test checks */
  let supervisorA: GraphQLCall;
  let supervisorB: GraphQLCall;
  let claire: { id: string; token: string; gql: GraphQLCall };
  let hugo: { id: string; gql: GraphQLCall };
  const queues: Queue[] = [];
  const lives: Live[] = [];
  let claireQueue: Queue;
  let claireAssignments: Queue;

  // what the steps learn and hand to the next ones
  let conversationId: string;
  let conversationToken: string;
  let client: GraphQLCall;
  /** the chat visitor's live socket on gateway A, then (after the drop) on gateway B */
  let clientLive: Live;
  let clientLiveAgain: Live;
  let advisorLive: Live;
  let entryId: string;
  let claimId: string;
  let waitingText: string;
  /** the sequence of the change of owner to the advisor, and of the one back to the bot */
  let takeover: number;
  let handBack: number;
  const advisorTexts: string[] = [];
  const clientTexts: string[] = [];

  const say = async (text: string): Promise<Turn> =>
    (await client<{ sendMessage: Turn }>(SEND_MESSAGE, { input: { conversationId, text } })).sendMessage;
  const fromAdvisor = async (text: string): Promise<LiveMessage> =>
    (
      await claire.gql<{ sendAdvisorMessage: LiveMessage }>(SEND_ADVISOR_MESSAGE, {
        input: { conversationId, text },
      })
    ).sendAdvisorMessage;
  const follow = (gateway: GatewayReplica, token: string, after?: number): Live => {
    const live = new Live(gateway.ws, token, {
      id: conversationId,
      ...(after !== undefined ? { after } : {}),
    });
    lives.push(live);
    return live;
  };
  const lastSequence = async (): Promise<number> =>
    (
      await supervisorA<{ conversation: { lastSequence: number } }>(
        `query($id: ID!) { conversation(id: $id) { lastSequence } }`,
        { id: conversationId },
      )
    ).conversation.lastSequence;
  const waitingSequence = () => clientLive.events.find((e) => e.message?.text === waitingText)!.sequence!;
  /** the sequence numbers a subscriber received are one run, each once: first, first + 1, ... */
  const expectOneRun = (live: Live, first: number) => {
    const sequences = live.sequenced().map((e) => e.sequence);
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => first + i));
    for (const e of live.sequenced()) {
      if (e.message) expect(e.message.sequence).toBe(e.sequence);
      if (e.ownership) expect(e.ownership.sequence).toBe(e.sequence);
    }
  };

  beforeAll(async () => {
    system = await startReplicatedSystem({
      label: 'handoff',
      replicas: { conversation: 2, escalation: 2 },
      gateways: 2,
      // the test polls the bot with the new matricule until identity's events reach its
      // directory: each miss counts as a failed authentication from this one address
      serviceEnv: { conversation: { BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY: '100000' } },
    });
    [gatewayA, gatewayB] = system.gateways as [GatewayReplica, GatewayReplica];
    const supervisor = await issueUserToken(
      { sub: 'sup-handoff', roles: ['advisor', 'supervisor'], name: 'Nadia Benali' },
      system.userTokens,
    );
    supervisorA = gatewayA.as(supervisor);
    supervisorB = gatewayB.as(supervisor);

    // Claire is on a call (BUSY): the transfer waits in the queue until she is available.
    // Hugo is on a break: he takes nothing, and holds nothing.
    const register = async (name: string, status: string) =>
      (
        await supervisorB<{ registerAdvisor: { id: string } }>(
          `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
          { input: { name, status, capacity: 5, specialty: 'sinistre_complexe' } },
        )
      ).registerAdvisor.id;
    const claireId = await register('Claire Martin', 'BUSY');
    const hugoId = await register('Hugo Petit', 'ON_BREAK');
    const claireToken = await issueUserToken(
      { sub: claireId, roles: ['advisor'], name: 'Claire Martin' },
      system.userTokens,
    );
    claire = { id: claireId, token: claireToken, gql: gatewayB.as(claireToken) };
    const hugoToken = await issueUserToken(
      { sub: hugoId, roles: ['advisor'], name: 'Hugo Petit' },
      system.userTokens,
    );
    hugo = { id: hugoId, gql: gatewayB.as(hugoToken) };

    // the policyholder and his car insurance, through the graph
    const { registerClient } = await supervisorA<{ registerClient: { id: string } }>(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`,
      {
        input: {
          matricule: MATRICULE,
          civility: 'M.',
          lastName: 'Lefèvre',
          firstName: 'Julien',
          email: 'julien.lefevre@example.fr',
          phone: '06 23 45 67 89',
          city: 'Paris',
        },
      },
    );
    await supervisorA(`mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }`, {
      input: {
        clientId: registerClient.id,
        contractNumber: CONTRACT_NUMBER,
        type: 'AUTO',
        subscribedOn: '2021-04-12',
        status: 'ACTIVE',
        coverages: ['rc', 'dommages_tous_accidents'],
      },
    });
    // the bot reads him back once identity's events reached its directory (Kafka)
    await waitFor(
      'the bot to know the new matricule and its contract',
      async () => {
        const { startConversation } = await supervisorA<{
          startConversation: { conversation: { id: string } };
        }>(`mutation { startConversation { conversation { id } } }`);
        const { sendMessage } = await supervisorA<{ sendMessage: Turn }>(SEND_MESSAGE, {
          input: { conversationId: startConversation.conversation.id, text: 'lh 482 vc' },
        });
        return sendMessage.reply.includes(`Lefèvre Julien, contrat ${CONTRACT_NUMBER}`);
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );

    // Claire's console, on gateway B: the queue and her own entries
    claireQueue = new Queue(gatewayB.ws, claireToken, 'escalationQueue');
    claireAssignments = new Queue(gatewayB.ws, claireToken, 'myAssignments');
    queues.push(claireQueue, claireAssignments);
    await Promise.all(queues.map((q) => q.snapshotDone()));
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...lives, ...queues].map((s) => s.close().catch(() => undefined)));
    await system?.stop();
  }, 60_000);

  it('a chat visitor on gateway A declares an injury claim; the bot transfers him and then says nothing', async () => {
    const res = await fetch(`${gatewayA.baseUrl}/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(201);
    const session = (await res.json()) as { conversationId: string; token: string; turn: { reply: string } };
    expect(session.turn.reply).toMatch(/numéro de matricule/);
    conversationId = session.conversationId;
    conversationToken = session.token;
    client = gatewayA.as(conversationToken);

    // the visitor follows his conversation live from its first message
    clientLive = follow(gatewayA, conversationToken, 0);
    expect(await clientLive.state()).toMatchObject({ kind: 'STATE', conversationId, owner: 'BOT' });

    const script: [string, RegExp][] = [
      ['lh 482 vc', new RegExp(`Vous êtes bien Lefèvre Julien, contrat ${CONTRACT_NUMBER}`)],
      ["Oui, c'est bien moi", /ce qui s'est passé/],
      [
        "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière, avant-hier vers 8h sur le boulevard Voltaire à Paris",
        /blessés ou des douleurs/,
      ],
      ["Oui, j'ai mal au cou", /constat amiable/],
      ['Oui', /police ou la gendarmerie/],
      ['Oui les policiers sont venus', /photos/],
      ['Oui', /montant des dégâts/],
      ['Je ne sais pas', /Je récapitule.*des blessés/],
    ];
    for (const [text, answer] of script) expect((await say(text)).reply).toMatch(answer);
    const decided = await say('Oui, c’est exact');
    expect(decided).toMatchObject({ phase: 'TRANSFER', status: 'TRANSFERRED' });
    expect(decided.reply).toMatch(/attention particulière.*conseiller/);

    // live: the change of owner, caused by the transfer (the CCI escalated the injuries)
    const waiting = await clientLive.event(
      'the change of owner to WAITING_FOR_ADVISOR',
      (e) => e.kind === 'OWNERSHIP' && e.ownership?.to === 'WAITING_FOR_ADVISOR',
    );
    expect(waiting.ownership).toMatchObject({
      from: 'BOT',
      to: 'WAITING_FOR_ADVISOR',
      cause: 'HANDOFF_REQUESTED',
      reason: 'ESCALATED',
      advisor: null,
    });

    // while he waits, the bot keeps quiet: his message is kept (for the advisor), unanswered
    waitingText = 'Merci. Est-ce que je dois aller aux urgences pour mon cou ?';
    const unanswered = await say(waitingText);
    expect(unanswered.reply).toBe('');
    expect(unanswered.replies).toEqual([]);
    const kept = await clientLive.event(
      'the waiting message, live',
      (e) => e.kind === 'MESSAGE' && e.message?.text === waitingText,
    );
    expect(kept.message!.role).toBe('USER');
    expect(kept.sequence!).toBeGreaterThan(waiting.sequence!);

    // everything so far, once each, in order: the greeting, each question and answer
    expectOneRun(clientLive, 1);
    const transcript = clientLive.messages();
    expect(transcript[0]).toMatchObject({ role: 'BOT', text: session.turn.reply, sequence: 1 });
    expect(transcript.filter((m) => m.role === 'USER').map((m) => m.text)).toEqual([
      ...script.map(([text]) => text),
      'Oui, c’est exact',
      waitingText,
    ]);
    expect(clientLive.errors).toEqual([]);
  }, 90_000);

  it('the advisor on gateway B sees the entry with the claim and the transcript, and gets it once available', async () => {
    // the bot's declaration became a claim (the claims service opened it from the intake)
    claimId = await waitFor(
      'the claim linked to the conversation',
      async () =>
        (
          await supervisorA<{ conversation: { claim: { id: string } | null } }>(
            `query($id: ID!) { conversation(id: $id) { claim { id } } }`,
            { id: conversationId },
          )
        ).conversation.claim?.id,
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    // Claire's queue, live on gateway B, shows the entry (of the claim or of the conversation)
    const queued = await waitFor(
      'the entry in the queue',
      () =>
        claireQueue.changes.find(
          (c) => c.entry?.conversation?.id === conversationId || c.entry?.claim?.id === claimId,
        ),
      { timeoutMs: 30_000 },
    );
    entryId = queued.entry!.id;
    // ...and it refers to both: the advisor opens the conversation and the claim from it
    const entry = await waitFor(
      'the entry referring to the claim and to the conversation',
      async () => {
        const { escalation } = await claire.gql<{
          escalation: {
            status: string;
            reasons: string[];
            claim: { id: string } | null;
            conversation: { id: string; messages: { role: string; text: string | null }[] } | null;
          };
        }>(
          `query($id: ID!) { escalation(id: $id) {
            status reasons claim { id } conversation { id messages { role text } }
          } }`,
          { id: entryId },
        );
        return escalation.claim && escalation.conversation ? escalation : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(entry.conversation!.id).toBe(conversationId);
    expect(entry.claim).toEqual({ id: claimId });
    expect(entry.reasons).toContain('INJURIES');
    // Claire is on a call and Hugo on a break: nobody has it yet
    expect(entry.status).toBe('WAITING');
    // the advisor reads what was said, down to what the client wrote while waiting
    const texts = entry.conversation!.messages.map((m) => m.text);
    expect(texts).toContain(
      "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière, avant-hier vers 8h sur le boulevard Voltaire à Paris",
    );
    expect(entry.conversation!.messages.filter((m) => m.role === 'USER').at(-1)).toEqual({
      role: 'USER',
      text: waitingText,
    });

    // one open entry for the claim and its conversation, not one each
    const { escalationQueue } = await claire.gql<{
      escalationQueue: {
        edges: { node: { id: string; claim: { id: string } | null; conversation: { id: string } | null } }[];
      };
    }>(
      `{ escalationQueue(status: WAITING, first: 100) { edges { node { id claim { id } conversation { id } } } } }`,
    );
    expect(
      escalationQueue.edges
        .map((e) => e.node)
        .filter((n) => n.claim?.id === claimId || n.conversation?.id === conversationId)
        .map((n) => n.id),
    ).toEqual([entryId]);

    // Claire hangs up: available, she is given the entry (automatic assignment)
    await claire.gql(`mutation($input: SetAdvisorStatusInput!) { setAdvisorStatus(input: $input) { id } }`, {
      input: { advisorId: claire.id, status: 'AVAILABLE' },
    });
    const assigned = await waitFor(
      'the entry among her assignments',
      () => claireAssignments.changes.find((c) => c.kind === 'ASSIGNED' && c.entry?.id === entryId),
      { timeoutMs: 30_000 },
    );
    expect(assigned.entry).toMatchObject({ status: 'ASSIGNED', advisor: { id: claire.id } });

    // the client is told, live, who answers now
    const taken = await clientLive.event(
      'the change of owner to the advisor',
      (e) => e.kind === 'OWNERSHIP' && e.ownership?.to === 'ADVISOR',
    );
    expect(taken.ownership).toMatchObject({
      from: 'WAITING_FOR_ADVISOR',
      to: 'ADVISOR',
      cause: 'ADVISOR_ASSIGNED',
      advisor: { id: claire.id },
      escalation: { id: entryId },
    });
    expect(taken.ownership!.advisorName).toMatch(/^Claire\b/);
    takeover = taken.sequence!;
    const joined = await clientLive.event(
      'the message that Claire takes over',
      (e) =>
        e.kind === 'MESSAGE' && e.message?.role === 'SYSTEM' && /prend le relais/.test(e.message.text ?? ''),
    );
    // her first name only
    expect(joined.message!.text).toMatch(/^Claire\b/);
    expect(joined.message!.text).not.toContain('Martin');
    expect(joined.sequence!).toBeGreaterThan(waitingSequence());

    const { conversation } = await supervisorB<{
      conversation: { owner: string; advisor: { id: string; name: string } | null };
    }>(`query($id: ID!) { conversation(id: $id) { owner advisor { id name } } }`, { id: conversationId });
    expect(conversation).toEqual({ owner: 'ADVISOR', advisor: { id: claire.id, name: 'Claire Martin' } });
    expect([...claireQueue.errors, ...claireAssignments.errors, ...clientLive.errors]).toEqual([]);
  }, 120_000);

  it('they exchange three messages each way, each side receiving the other’s live and in order; the bot says nothing', async () => {
    // Claire opens the conversation on gateway B from its start: the whole context first
    advisorLive = follow(gatewayB, claire.token, 0);
    const state = await advisorLive.state();
    expect(state).toMatchObject({ owner: 'ADVISOR', sequence: await lastSequence() });
    await waitFor('the history replayed to the advisor', () => advisorLive.lastSequence() >= state.sequence!);
    const replayed = (l: Live) =>
      l
        .sequenced()
        .filter((e) => e.sequence! <= state.sequence!)
        .map((e) => [e.sequence, e.kind, e.message?.id ?? e.ownership?.to]);
    expect(replayed(advisorLive)).toEqual(replayed(clientLive));

    // someone who does not hold the conversation cannot write in it
    await expect(
      hugo.gql(SEND_ADVISOR_MESSAGE, { input: { conversationId, text: 'Bonjour, ici Hugo.' } }),
    ).rejects.toThrow(/GraphQL errors/);

    // the client sees her typing
    await claire.gql(`mutation($input: SetTypingInput!) { setTyping(input: $input) }`, {
      input: { conversationId, typing: true },
    });
    const typing = await clientLive.event('Claire typing', (e) => e.kind === 'TYPING');
    expect(typing).toMatchObject({ participant: 'ADVISOR', typing: true, sequence: null });

    const exchange: [string, string][] = [
      [
        'Bonjour Monsieur Lefèvre, je suis Claire. Avez-vous consulté un médecin pour votre cou ?',
        'Bonjour, pas encore, j’ai seulement mal quand je tourne la tête.',
      ],
      [
        'Je vous conseille de consulter aujourd’hui et de garder le certificat médical : il sera utile pour votre indemnisation.',
        'D’accord, j’ai rendez-vous chez mon médecin cet après-midi.',
      ],
      [
        'Très bien. Pouvez-vous m’envoyer le constat signé ? Le tiers est responsable, nous engagerons le recours.',
        'Oui, je vous l’envoie ce soir. Merci beaucoup.',
      ],
    ];
    for (const [advisorText, clientText] of exchange) {
      const sent = await fromAdvisor(advisorText);
      expect(sent).toMatchObject({ role: 'ADVISOR', text: advisorText, advisor: { id: claire.id } });
      const received = await clientLive.event(
        'the advisor’s message at the client',
        (e) => e.message?.id === sent.id,
      );
      expect(received).toMatchObject({ kind: 'MESSAGE', sequence: sent.sequence });
      advisorTexts.push(advisorText);

      const turn = await say(clientText);
      // the advisor holds it: no reply of the bot
      expect(turn.reply).toBe('');
      expect(turn.replies).toEqual([]);
      const heard = await advisorLive.event(
        'the client’s message at the advisor',
        (e) => e.kind === 'MESSAGE' && e.message?.text === clientText,
      );
      expect(heard.message!.role).toBe('USER');
      expect(heard.sequence!).toBeGreaterThan(received.sequence!);
      clientTexts.push(clientText);
    }
    const caughtUp = await lastSequence();
    await waitFor('both sides at the last sequence', () =>
      [clientLive, advisorLive].every((l) => l.lastSequence() === caughtUp),
    );

    for (const live of [clientLive, advisorLive]) {
      expectOneRun(live, 1);
      const since = live.sequenced().filter((e) => e.sequence! > takeover);
      const said = since.flatMap((e) => (e.message ? [e.message] : []));
      // each side saw the other's messages in the order they were written, and no bot
      expect(said.filter((m) => m.role === 'ADVISOR').map((m) => m.text)).toEqual(advisorTexts);
      expect(said.filter((m) => m.role === 'ADVISOR').every((m) => m.advisor?.id === claire.id)).toBe(true);
      expect(said.filter((m) => m.role === 'USER').map((m) => m.text)).toEqual(clientTexts);
      expect(said.filter((m) => m.role === 'BOT')).toEqual([]);
      expect(live.errors).toEqual([]);
    }
    // both read the same conversation
    const all = (l: Live) => l.sequenced().map((e) => [e.sequence, e.kind, e.message?.id ?? e.ownership?.to]);
    expect(all(advisorLive)).toEqual(all(clientLive));
  }, 90_000);

  it('a client socket dropped and reconnected (on gateway B) with its last sequence gets exactly what it missed', async () => {
    const last = clientLive.lastSequence();
    expect(last).toBe(await lastSequence());
    clientLive.drop();

    // meanwhile the conversation goes on: Claire writes, the client writes (HTTP still works)
    const missed: [string, string][] = [
      ['ADVISOR', 'J’ai bien noté votre rendez-vous. Avez-vous les coordonnées de l’assurance du tiers ?'],
      ['USER', 'Oui, c’est la même compagnie que moi, il me semble.'],
      ['ADVISOR', 'Parfait, cela simplifiera le recours. Je vérifie et je reviens vers vous.'],
    ];
    for (const [role, text] of missed) {
      if (role === 'ADVISOR') await fromAdvisor(text);
      else expect((await say(text)).replies).toEqual([]);
    }
    await advisorLive.event(
      'the last missed message at the advisor',
      (e) => e.message?.text === missed[2]![1],
    );
    expect(clientLive.lastSequence()).toBe(last);

    clientLiveAgain = follow(gatewayB, conversationToken, last);
    const state = await clientLiveAgain.state();
    expect(state).toMatchObject({ owner: 'ADVISOR', sequence: last + missed.length });
    expect(clientLiveAgain.events[0]!.kind).toBe('STATE');

    // and what follows arrives after what was missed
    const after = 'Le recours est lancé auprès de l’assureur du tiers.';
    const sent = await fromAdvisor(after);
    await clientLiveAgain.event('the next message, live', (e) => e.message?.id === sent.id);
    expect(
      clientLiveAgain.sequenced().map((e) => [e.sequence, e.kind, e.message?.role, e.message?.text]),
    ).toEqual([
      ...missed.map(([role, text], i) => [last + 1 + i, 'MESSAGE', role, text]),
      [last + missed.length + 1, 'MESSAGE', 'ADVISOR', after],
    ]);
    expectOneRun(clientLiveAgain, last + 1);
    expect(clientLiveAgain.errors).toEqual([]);
    advisorTexts.push(missed[0]![1], missed[2]![1], after);
    clientTexts.push(missed[1]![1]);
  }, 90_000);

  it('the advisor hands back to the bot, which answers the client’s next message', async () => {
    const { handBackToBot } = await claire.gql<{ handBackToBot: { owner: string } }>(
      `mutation($input: HandBackToBotInput!) { handBackToBot(input: $input) { owner } }`,
      { input: { conversationId } },
    );
    expect(handBackToBot.owner).toBe('BOT');
    const back = await clientLiveAgain.event(
      'the change of owner back to the bot',
      (e) => e.kind === 'OWNERSHIP' && e.ownership?.to === 'BOT',
    );
    expect(back.ownership).toMatchObject({
      from: 'ADVISOR',
      to: 'BOT',
      cause: 'HANDED_BACK',
      advisor: { id: claire.id },
    });
    handBack = back.sequence!;
    await advisorLive.event('the hand back at the advisor', (e) => e.sequence === handBack);

    // no longer hers: she cannot write in it any more
    await expect(fromAdvisor('Encore une chose...')).rejects.toThrow(/GraphQL errors/);

    // the declaration is over: the bot offers further help, and answers the client again
    const goodbye = 'Non merci, ce sera tout. Au revoir !';
    const turn = await say(goodbye);
    expect(turn.reply).toMatch(/au revoir/i);
    expect(turn.replies.length).toBeGreaterThan(0);
    const asked = await clientLiveAgain.event('the goodbye, live', (e) => e.message?.text === goodbye);
    const answered = await clientLiveAgain.event(
      'the bot’s answer, live',
      (e) => e.message?.role === 'BOT' && e.sequence! > asked.sequence!,
    );
    expect(turn.replies).toContain(answered.message!.text);
    expectOneRun(clientLiveAgain, clientLive.lastSequence() + 1);
    expect(clientLiveAgain.errors).toEqual([]);
    expect(advisorLive.errors).toEqual([]);
  }, 60_000);

  it('the transcript holds every message once, in order: the advisor’s with her id, no bot’s while she held it', async () => {
    const { conversation } = await supervisorA<{
      conversation: {
        owner: string;
        lastSequence: number;
        messages: {
          role: string;
          text: string | null;
          sequence: number | null;
          advisor: { id: string } | null;
        }[];
      };
    }>(
      `query($id: ID!) { conversation(id: $id) { owner lastSequence messages { role text sequence advisor { id } } } }`,
      { id: conversationId },
    );
    expect(conversation.owner).toBe('BOT');
    expect(conversation.lastSequence).toBe(clientLiveAgain.lastSequence());
    const sequences = conversation.messages.map((m) => m.sequence!);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    // the client followed the whole conversation: what he received is what is stored
    const received = [...clientLive.messages(), ...clientLiveAgain.messages()];
    expect(received.map((m) => [m.sequence, m.role, m.text])).toEqual(
      conversation.messages.map((m) => [m.sequence, m.role, m.text]),
    );
    const held = conversation.messages.filter((m) => m.sequence! > takeover && m.sequence! < handBack);
    expect(held.filter((m) => m.role === 'BOT')).toEqual([]);
    expect(held.filter((m) => m.role === 'ADVISOR').map((m) => m.text)).toEqual(advisorTexts);
    expect(held.filter((m) => m.role === 'ADVISOR').every((m) => m.advisor?.id === claire.id)).toBe(true);
    expect(held.filter((m) => m.role === 'USER').map((m) => m.text)).toEqual(clientTexts);
    // the claim leads to the conversation it was declared in
    const { claim } = await supervisorB<{ claim: { conversation: { id: string } | null } }>(
      `query($id: ID!) { claim(id: $id) { conversation { id } } }`,
      { id: claimId },
    );
    expect(claim.conversation).toEqual({ id: conversationId });
  }, 30_000);
});
