// The audit records of the conversation service's mutations (docs/security.md, Audit log), over
// real HTTP and PostgreSQL, speech to text on a local server of ElevenLabs' API: what each
// mutation changed on a conversation (its state, the caller's words and who said them) is kept
// with its old and new values sealed under the conversation's key (a message posted on a claim:
// the claim's), nothing of it in clear; the service's vault opens them, and once the client is
// erased nothing does, while the chain still verifies.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { verifyAuditDatabase, type AuditRow, type FieldChange } from '@crm/db';
import { type AnyEvent } from '@crm/events';
import { revealFieldChanges, type AuditNotes } from '@crm/subgraph';
import { startElevenLabsStub, startServiceForTest, type ElevenLabsStub } from '@crm/testing';
import { graphql } from '../../test/generated';
import { ADVISOR, SEND_MESSAGE, START_CONVERSATION, type Harness } from '../../test/harness';
import { DIRECTORY_CONSUMER } from '../directory/directory.consumer';
import { envSchema, type Env } from '../env';
import { HANDOFF_CONSUMER } from '../handoff/escalation.consumer';
import { definitionFromEnv } from '../service';

const STATE = graphql(`
  query AuditedConversationState($id: ID!) {
    conversation(id: $id) {
      channel
      phase
      status
      owner
      advisor {
        id
      }
      escalation {
        id
      }
      client {
        id
      }
      claim {
        id
      }
    }
  }
`);

const VOICE_TURN = graphql(`
  mutation AuditVoiceTurn($input: SendVoiceMessageInput!) {
    sendVoiceMessage(input: $input) {
      status
    }
  }
`);

const ADVISOR_MESSAGE = graphql(`
  mutation AuditAdvisorMessage($input: SendAdvisorMessageInput!) {
    sendAdvisorMessage(input: $input) {
      id
    }
  }
`);

const TYPING = graphql(`
  mutation AuditTyping($input: SetTypingInput!) {
    setTyping(input: $input)
  }
`);

const HAND_BACK = graphql(`
  mutation AuditHandBack($input: HandBackToBotInput!) {
    handBackToBot(input: $input) {
      id
      owner
    }
  }
`);

const CLOSE = graphql(`
  mutation AuditClose($input: CloseConversationInput!) {
    closeConversation(input: $input) {
      id
      owner
    }
  }
`);

const CLAIM_MESSAGE = graphql(`
  mutation AuditClaimMessage($input: AddClaimMessageInput!) {
    addClaimMessage(input: $input) {
      id
    }
  }
`);

const KEY = 'stt-key-0123456789';
/** A fixed instant the test's clock starts at (never today's date). */
const T0 = Date.UTC(2031, 4, 12, 8, 0, 0);

/** One second of a 440 Hz tone, 16 kHz WAV: decodable and not silent, as the stub checks. */
function toneWav(rate = 16_000): string {
  const wav = Buffer.alloc(44 + rate * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + rate * 2, 4);
  wav.write('WAVE', 8);
  wav.write('fmt ', 12);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(rate * 2, 40);
  for (let i = 0; i < rate; i++)
    wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 16_000), 44 + i * 2);
  return wav.toString('base64');
}

/** Changes as the tests compare them: field -> [old, new]. */
type Values = Record<string, [string | null, string | null]>;

/** What a mutation left for the audit: its record, and what the service noted in the request. */
interface Audited {
  operation: string;
  correlationId: string;
  /** the key's subject: the conversation's id (a claim's for a message posted on it) */
  subject: string;
  record: {
    seq: string;
    entity_type: string | null;
    entity_id: string | null;
    changes: Record<string, FieldChange> | null;
  };
  /** the sealed changes the service noted under `noted`'s id */
  sealed: Record<string, FieldChange>;
}

describe('the conversation audit log: sealed old and new values', () => {
  let h: Harness;
  let stub: ElevenLabsStub;
  let now = T0;
  /** each request's notes, by correlation id: what the service told the audit plugin */
  const notes = new Map<string, AuditNotes>();
  const clientId = randomUUID();
  const CLIENT: Principal = { sub: clientId, roles: ['client'] };
  const advisorId = randomUUID();
  const HOLDER: Principal = { sub: advisorId, roles: ['advisor'] };

  beforeAll(async () => {
    stub = await startElevenLabsStub({ apiKey: KEY });
    h = await startServiceForTest(
      (env: Env) => {
        const definition = definitionFromEnv(env);
        return {
          ...definition,
          setup: (runtime) => definition.setup({ ...runtime, clock: () => new Date(now) }),
          context: (base, parts) => {
            notes.set(base.correlationId, base.audit);
            return definition.context(base, parts);
          },
        };
      },
      {
        envSchema,
        principal: ADVISOR,
        label: 'conv_audit',
        env: {
          STT_PROVIDER: 'elevenlabs',
          TTS_PROVIDER: 'none',
          AUDIO_STORE: 'postgres',
          ELEVENLABS_API_KEY: KEY,
          ELEVENLABS_BASE_URL: stub.baseUrl,
        },
      },
    );
    const registered = h.event(
      'ClientRegistered',
      {
        clientId,
        matricule: 'HX-482-TQ',
        civility: 'Mme',
        lastName: 'Roche',
        firstName: 'Lina',
        phone: '+33612345678',
        status: 'ACTIVE',
        registeredAt: '2020-02-01T09:00:00.000Z',
      },
      clientId,
    );
    await deliver(DIRECTORY_CONSUMER, registered);
  });
  afterAll(async () => {
    await h?.stop();
    await stub?.close();
  });

  async function deliver(consumer: string, ...events: AnyEvent[]): Promise<void> {
    await h.send(...events);
    await h.processed(consumer, ...events.map((e) => e.id));
  }

  /** The audited fields of a conversation as the graph shows them. */
  async function stateOf(id: string): Promise<Record<string, string | null>> {
    const res = await h.gql(STATE, { id });
    expect(res.errors).toBeUndefined();
    const c = res.data!.conversation!;
    return {
      channel: c.channel,
      phase: c.phase,
      status: c.status,
      owner: c.owner,
      advisorId: c.advisor?.id ?? null,
      escalationId: c.escalation?.id ?? null,
      clientId: c.client?.id ?? null,
      claimId: c.claim?.id ?? null,
    };
  }

  /** The fields that differ between two states, as [old, new]. */
  const moved = (before: Record<string, string | null>, after: Record<string, string | null>): Values =>
    Object.fromEntries(
      Object.keys(after)
        .filter((f) => (before[f] ?? null) !== after[f])
        .map((f) => [f, [before[f] ?? null, after[f] ?? null]]),
    );

  /**
   * Runs one mutation under a correlation id of its own; returns its audit record and what the
   * service noted under `noted` (its result's id for most; the conversation's for a turn).
   */
  async function audited<T>(
    run: (correlationId: string) => Promise<{ data?: T | null; errors?: unknown }>,
    noted: (data: T) => string,
    subject: (data: T) => string,
  ): Promise<{ data: T; audit: Audited }> {
    const correlationId = `corr-${randomUUID()}`;
    const res = await run(correlationId);
    expect(res.errors).toBeUndefined();
    const data = res.data!;
    const records = await h.sql<Audited['record'] & { operation: string }>(
      `select seq, operation, entity_type, entity_id, changes from audit_log where correlation_id = $1`,
      [correlationId],
    );
    expect(records).toHaveLength(1);
    const { operation, ...record } = records[0]!;
    const sealed = notes.get(correlationId)?.changesOf(noted(data));
    expect(sealed).toBeTruthy();
    return { data, audit: { operation, correlationId, subject: subject(data), record, sealed: sealed! } };
  }

  /** Sealed changes opened with the service's vault, under their subject's key. */
  async function opened(subject: string, sealed: Record<string, FieldChange>) {
    const revealed = await revealFieldChanges(h.service.parts.vault, 'conversation', [
      { seq: 1, entityId: subject, changes: sealed } as AuditRow,
    ]);
    return revealed.get(1)!;
  }
  async function valuesOf(subject: string, sealed: Record<string, FieldChange>): Promise<Values> {
    const changes = await opened(subject, sealed);
    expect(changes.every((c) => !c.erased)).toBe(true);
    return Object.fromEntries(changes.map((c) => [c.field, [c.old, c.new]]));
  }

  /** Every value a ciphertext, none of the clear words anywhere in what is kept. */
  function expectSealed(audit: Audited, clear: readonly string[]): void {
    for (const change of Object.values(audit.sealed))
      for (const value of [change.old, change.new]) if (value !== null) expect(value).toMatch(/^pd1:/);
    const kept = JSON.stringify([audit.sealed, audit.record]);
    for (const words of clear) expect(kept).not.toContain(words);
  }

  it("keeps each mutation's changes sealed under the conversation's key, readable by its vault, unreadable after the erasure", async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const kept: Audited[] = [];
    const turnOf = (d: { conversation: { id: string } }) => d.conversation.id;

    // startConversation: what it was started with, as new values
    const start = await audited(
      (correlationId) => h.gql(START_CONVERSATION, { input: { channel: 'CHAT' } }, CLIENT, { correlationId }),
      (d) => d.startConversation.conversation.id,
      (d) => d.startConversation.conversation.id,
    );
    const id = start.data.startConversation.conversation.id;
    let state = await stateOf(id);
    expect(await valuesOf(id, start.audit.sealed)).toEqual(moved({}, state));
    expect(start.audit.sealed.owner).toBeDefined();
    expectSealed(start.audit, ['"CHAT"', '"AUTHENTICATION"']);
    kept.push(start.audit);

    // sendMessage: the client's words and who said them, and the state the turn moved (the
    // matricule read back, then confirmed: the client authenticated)
    for (const text of ['HX-482-TQ', 'oui']) {
      const before = state;
      const turn = await audited(
        (correlationId) =>
          h.gql(SEND_MESSAGE, { input: { conversationId: id, text } }, CLIENT, { correlationId }),
        (d) => turnOf(d.sendMessage),
        (d) => turnOf(d.sendMessage),
      );
      state = await stateOf(id);
      expect(await valuesOf(id, turn.audit.sealed)).toEqual({
        ...moved(before, state),
        message: [null, text],
        messageRole: [null, 'USER'],
      });
      expectSealed(turn.audit, [text === 'oui' ? '"oui"' : text, clientId]);
      kept.push(turn.audit);
    }
    expect(state.clientId).toBe(clientId);

    // sendVoiceMessage: what was heard (the played text and the raw transcript); the client asks
    // for a person: the turn transfers him (owner, status)
    const asked = 'je veux parler à un conseiller';
    stub.setTranscript(asked, -0.05);
    let before = state;
    const voice = await audited(
      (correlationId) =>
        h.gql(
          VOICE_TURN,
          { input: { conversationId: id, audio: toneWav(), mimeType: 'audio/wav' } },
          CLIENT,
          { correlationId },
        ),
      () => id,
      () => id,
    );
    expect(voice.data.sendVoiceMessage.status).toBe('TRANSFERRED');
    state = await stateOf(id);
    expect(state.owner).toBe('WAITING_FOR_ADVISOR');
    expect(await valuesOf(id, voice.audit.sealed)).toEqual({
      ...moved(before, state),
      message: [null, asked],
      messageTranscript: [null, asked],
      messageRole: [null, 'USER'],
    });
    expectSealed(voice.audit, [asked, '"WAITING_FOR_ADVISOR"']);
    kept.push(voice.audit);

    // sendMessage while he waits: kept for the advisor, it moves nothing: the words only
    const waiting = `allô ? ici ${canary}`;
    const kept1 = await audited(
      (correlationId) =>
        h.gql(SEND_MESSAGE, { input: { conversationId: id, text: waiting } }, CLIENT, { correlationId }),
      (d) => turnOf(d.sendMessage),
      (d) => turnOf(d.sendMessage),
    );
    expect(await valuesOf(id, kept1.audit.sealed)).toEqual({
      message: [null, waiting],
      messageRole: [null, 'USER'],
    });
    expectSealed(kept1.audit, [canary]);
    kept.push(kept1.audit);
    // the turns' records: a ConversationTurn has no id and their inputs none either, so the
    // record names the one entity the service noted (the conversation) and keeps its values
    for (const turn of kept)
      expect(turn.record).toMatchObject({
        entity_type: 'ConversationTurn',
        entity_id: turn.subject,
        changes: turn.sealed,
      });

    // an advisor takes him: the holder's mutations, recorded under the entity they answer
    const escalationId = randomUUID();
    const queued = (entry: string) =>
      h.event(
        'EscalationQueued',
        {
          escalationId: entry,
          conversationId: id,
          clientId,
          priority: 10,
          reasons: ['CLIENT_REQUEST'],
          queuedAt: new Date(now).toISOString(),
        },
        entry,
      );
    const assigned = (entry: string) =>
      h.event(
        'AdvisorAssigned',
        {
          escalationId: entry,
          conversationId: id,
          advisorId,
          advisorName: 'Claire Martin',
          mode: 'AUTO',
          assignedAt: new Date(now).toISOString(),
        },
        entry,
      );
    await deliver(HANDOFF_CONSUMER, queued(escalationId), assigned(escalationId));
    state = await stateOf(id);
    expect(state).toMatchObject({ owner: 'ADVISOR', advisorId, escalationId });

    // sendAdvisorMessage: the advisor's words and who wrote them, noted under the message's id
    const written = `Bonjour Madame, ici Claire ${canary}`;
    const advisorSaid = await audited(
      (correlationId) =>
        h.gql(ADVISOR_MESSAGE, { input: { conversationId: id, text: written } }, HOLDER, { correlationId }),
      (d) => d.sendAdvisorMessage.id,
      () => id,
    );
    expect(advisorSaid.audit.record).toMatchObject({
      entity_type: 'ConversationMessage',
      entity_id: advisorSaid.data.sendAdvisorMessage.id,
      changes: advisorSaid.audit.sealed,
    });
    expect(await valuesOf(id, advisorSaid.audit.sealed)).toEqual({
      message: [null, written],
      messageRole: [null, 'ADVISOR'],
      messageAdvisorId: [null, advisorId],
    });
    expectSealed(advisorSaid.audit, [canary, advisorId]);
    kept.push(advisorSaid.audit);

    // setTyping stores nothing: its record keeps no values, and the service notes none
    const typingCorr = `corr-${randomUUID()}`;
    const typing = await h.gql(TYPING, { input: { conversationId: id, typing: true } }, CLIENT, {
      correlationId: typingCorr,
    });
    expect(typing.errors).toBeUndefined();
    expect(
      await h.sql(`select operation, entity_id, changes from audit_log where correlation_id = $1`, [
        typingCorr,
      ]),
    ).toEqual([{ operation: 'Mutation.setTyping', entity_id: null, changes: null }]);
    expect(notes.get(typingCorr)?.changesOf(id)).toBeNull();

    // handBackToBot: the state the move changed (owner, advisor, queue entry...), under the
    // conversation's id (the answer's)
    before = state;
    const handedBack = await audited(
      (correlationId) => h.gql(HAND_BACK, { input: { conversationId: id } }, HOLDER, { correlationId }),
      (d) => d.handBackToBot.id,
      () => id,
    );
    state = await stateOf(id);
    expect(state.owner).toBe('BOT');
    expect(handedBack.audit.record).toMatchObject({
      entity_type: 'Conversation',
      entity_id: id,
      changes: handedBack.audit.sealed,
    });
    const back = await valuesOf(id, handedBack.audit.sealed);
    expect(back).toEqual(moved(before, state));
    expect(back).toMatchObject({ owner: ['ADVISOR', 'BOT'], advisorId: [advisorId, null] });
    expectSealed(handedBack.audit, ['"ADVISOR"', advisorId, escalationId]);
    kept.push(handedBack.audit);

    // closeConversation: transferred and taken again, then closed with a resolution
    const transfer = await h.gql(SEND_MESSAGE, { input: { conversationId: id, text: asked } }, CLIENT);
    expect(transfer.errors).toBeUndefined();
    const again = randomUUID();
    await deliver(HANDOFF_CONSUMER, queued(again), assigned(again));
    before = await stateOf(id);
    expect(before.owner).toBe('ADVISOR');
    const resolution = `rappel convenu avec ${canary}`;
    const closed = await audited(
      (correlationId) =>
        h.gql(CLOSE, { input: { conversationId: id, resolution } }, HOLDER, { correlationId }),
      (d) => d.closeConversation.id,
      () => id,
    );
    state = await stateOf(id);
    expect(closed.audit.record).toMatchObject({
      entity_type: 'Conversation',
      entity_id: id,
      changes: closed.audit.sealed,
    });
    expect(await valuesOf(id, closed.audit.sealed)).toEqual({
      ...moved(before, state),
      resolution: [null, resolution],
    });
    expect(state.owner).toBe('CLOSED');
    expectSealed(closed.audit, [canary, '"CLOSED"']);
    kept.push(closed.audit);

    // addClaimMessage: a message posted on one of his claims, under the claim's key
    const claimId = randomUUID();
    await deliver(
      DIRECTORY_CONSUMER,
      h.event(
        'ClaimOpened',
        {
          claimId,
          claimNumber: 'SIN-2031-0512',
          clientId,
          contractId: randomUUID(),
          claimType: 'COLLISION',
          occurredOn: '2031-05-11',
          description: 'choc arrière',
          channel: 'CHAT',
        },
        claimId,
      ),
    );
    const posted = await audited(
      (correlationId) =>
        h.gql(
          CLAIM_MESSAGE,
          {
            input: {
              claimId,
              role: 'USER',
              text: `photos de ${canary}`,
              sttTranscript: `fotos de ${canary}`,
              sttConfidence: 0.8,
            },
          },
          ADVISOR,
          { correlationId },
        ),
      (d) => d.addClaimMessage.id,
      () => claimId,
    );
    expect(posted.audit.record).toMatchObject({
      entity_type: 'ConversationMessage',
      entity_id: posted.data.addClaimMessage.id,
      changes: posted.audit.sealed,
    });
    expect(await valuesOf(claimId, posted.audit.sealed)).toEqual({
      message: [null, `photos de ${canary}`],
      messageTranscript: [null, `fotos de ${canary}`],
      messageRole: [null, 'USER'],
    });
    expectSealed(posted.audit, [canary]);
    kept.push(posted.audit);

    // every mutation above, and only its own request, noted something
    expect(new Set(kept.map((a) => a.operation))).toEqual(
      new Set([
        'Mutation.startConversation',
        'Mutation.sendMessage',
        'Mutation.sendVoiceMessage',
        'Mutation.sendAdvisorMessage',
        'Mutation.handBackToBot',
        'Mutation.closeConversation',
        'Mutation.addClaimMessage',
      ]),
    );

    // the client erased: the keys of his conversation and of his claim are shredded, so what
    // was kept (a copy of it included) keeps which fields changed, not the values
    now += 3_600_000;
    await deliver(
      DIRECTORY_CONSUMER,
      h.event(
        'ClientErased',
        { clientId, contractIds: [], erasedAt: new Date(now).toISOString(), reason: 'GDPR_REQUEST' },
        clientId,
      ),
    );
    for (const audit of kept) {
      const after = await opened(audit.subject, audit.sealed);
      expect(after).toEqual(
        Object.keys(audit.sealed)
          .sort()
          .map((field) => ({ field, old: null, new: null, erased: true })),
      );
    }
    // and the chain still verifies: the hash covers the ciphertexts
    expect(await verifyAuditDatabase(h.db.url)).toMatchObject({ ok: true });
  }, 60_000);
});
