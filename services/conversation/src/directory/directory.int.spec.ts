// The directory projection fed by identity's and claims' events through the real consumer
// (in-process transport, real database): projection changes, idempotency, per-client order
// safety, GDPR erasure.
import { randomBytes, randomUUID } from 'node:crypto';
import { type EventDataMap } from '@crm/events';
import { lockWaiters, waitFor } from '@crm/testing';
import { graphql } from '../../test/generated';
import {
  conversationContext,
  insertMessageRows,
  messageTexts,
  openStoredMessages,
  SEND_MESSAGE,
  START_CONVERSATION,
  startHarness,
  storedMessages,
  type Harness,
} from '../../test/harness';
import { ConversationCipher } from '../conversation/conversation.cipher';
import { DIRECTORY_CONSUMER } from './directory.consumer';
import { DirectoryRepository } from './directory.repository';

const t = (iso: string) => new Date(iso);

const ERASED_CLAIM_MESSAGE = graphql(`
  mutation ErasedClaimMessage($input: AddClaimMessageInput!) {
    addClaimMessage(input: $input) {
      id
    }
  }
`);

function registered(
  clientId: string,
  matricule: string,
  over: Partial<EventDataMap['ClientRegistered']> = {},
) {
  return {
    clientId,
    matricule,
    civility: 'M.',
    lastName: 'Dupont',
    firstName: 'Jean',
    status: 'ACTIVE' as const,
    registeredAt: '2026-01-01T09:00:00.000Z',
    ...over,
  };
}

function updated(
  clientId: string,
  matricule: string,
  changes: Partial<EventDataMap['ClientUpdated']> &
    Pick<EventDataMap['ClientUpdated'], 'changedFields' | 'updatedAt'>,
): EventDataMap['ClientUpdated'] {
  const { registeredAt: _, ...state } = registered(clientId, matricule);
  return { ...state, ...changes };
}

function contract(
  clientId: string,
  matricule: string,
  contractId = randomUUID(),
): EventDataMap['ContractIssued'] {
  return {
    contractId,
    clientId,
    matricule,
    contractNumber: `AUTO-${contractId.slice(0, 8)}`,
    type: 'AUTO',
    status: 'ACTIVE',
    subscribedOn: '2019-03-15',
    expiresOn: '2027-03-14',
    coverages: ['rc', 'bris_de_glace'],
    thirdPartyDeductible: '150.00',
    collisionDeductible: '300',
    propertyDamageCover: true,
    thirdPartyCover: true,
    civilLiabilityCover: true,
    issuedAt: '2026-01-01T09:05:00.000Z',
  };
}

/** the contract with no expiry date (ContractIssued's expiresOn is optional) */
function withoutEnd(c: EventDataMap['ContractIssued']): EventDataMap['ContractIssued'] {
  const { expiresOn: _, ...open } = c;
  return open;
}

describe('directory projection (identity and claims events)', () => {
  let h: Harness;
  const lookup = (matricule: string) =>
    new DirectoryRepository(h.service.runtime.dataSource.manager, h.service.parts.vault).findByMatricule(
      matricule,
    );

  beforeAll(async () => {
    h = await startHarness('conv_directory');
  });
  afterAll(() => h.stop());
  // every event is valid and applicable: nothing may reach the dead-letter topics
  afterEach(() => {
    expect(h.transport.records('crm.identity.events.v1.dlq')).toEqual([]);
    expect(h.transport.records('crm.claims.events.v1.dlq')).toEqual([]);
  });

  it('projects a registered client with contracts and claims, found by matricule in any spelling', async () => {
    const clientId = randomUUID();
    const contractId = randomUUID();
    const claimId = randomUUID();
    const events = [
      h.event('ClientRegistered', registered(clientId, 'AB-123-CD'), clientId, t('2026-01-01T09:00:00Z')),
      h.event(
        'ContractIssued',
        contract(clientId, 'AB-123-CD', contractId),
        contractId,
        t('2026-01-01T09:05:00Z'),
      ),
      h.event(
        'ClaimOpened',
        {
          claimId,
          claimNumber: 'SIN-2026-0001',
          clientId,
          contractId,
          claimType: 'COLLISION',
          occurredOn: '2026-02-02',
          description: 'choc arrière',
          channel: 'CHAT',
        },
        claimId,
        t('2026-02-02T15:00:00Z'),
      ),
      h.event(
        'ClaimStatusChanged',
        { claimId, from: 'NEW', to: 'IN_PROGRESS' },
        claimId,
        t('2026-02-03T10:00:00Z'),
      ),
    ];
    await h.send(...events);
    await h.processed(DIRECTORY_CONSUMER, ...events.map((e) => e.id));

    expect(await lookup('ab 123 cd')).toEqual({
      clientId,
      matricule: 'AB-123-CD',
      civility: 'M.',
      lastName: 'Dupont',
      firstName: 'Jean',
      contracts: [
        {
          contractId,
          contractNumber: `AUTO-${contractId.slice(0, 8)}`,
          type: 'auto',
          status: 'actif',
          startDate: '2019-03-15',
        },
      ],
      claims: [
        {
          claimId,
          claimNumber: 'SIN-2026-0001',
          claimType: 'collision',
          occurredOn: '2026-02-02',
          status: 'IN_PROGRESS',
        },
      ],
    });
    const [row] = await h.sql<Record<string, unknown>>(
      `SELECT * FROM directory_contracts WHERE contract_id = $1`,
      [contractId],
    );
    expect(row).toMatchObject({
      coverages: ['rc', 'bris_de_glace'],
      third_party_deductible: '150.00',
      collision_deductible: '300.00',
      civil_liability_cover: true,
    });
    expect(await lookup('ZZ-999-ZZ')).toBeNull();
  });

  it('no longer names an archived claim to the bot, and keeps its row for an erasure', async () => {
    const clientId = randomUUID();
    const kept = randomUUID();
    const archived = randomUUID();
    const opened = (claimId: string, claimNumber: string, occurredOn: string) =>
      h.event(
        'ClaimOpened',
        {
          claimId,
          claimNumber,
          clientId,
          contractId: null,
          claimType: 'COLLISION',
          occurredOn,
          description: 'choc',
          channel: 'CHAT',
        },
        claimId,
        t(`${occurredOn}T15:00:00Z`),
      );
    const events = [
      h.event('ClientRegistered', registered(clientId, 'AR-456-CH'), clientId, t('2026-01-01T09:00:00Z')),
      opened(kept, 'SIN-2026-0101', '2026-03-01'),
      opened(archived, 'SIN-2026-0102', '2026-03-02'),
      h.event(
        'ClaimArchived',
        { claimId: archived, clientId, archivedAt: '2026-03-05T10:00:00.000Z' },
        archived,
        t('2026-03-05T10:00:00Z'),
      ),
    ];
    await h.send(...events);
    await h.processed(DIRECTORY_CONSUMER, ...events.map((e) => e.id));
    expect((await lookup('AR-456-CH'))!.claims.map((c) => c.claimNumber)).toEqual(['SIN-2026-0101']);
    // the row stays, marked: a later erasure of the client still finds what was said on it
    const rows = await h.sql<{ claim_id: string; archived_at: Date | null }>(
      `SELECT claim_id, archived_at FROM directory_claims WHERE client_id = $1 ORDER BY claim_number`,
      [clientId],
    );
    expect(rows.map((r) => [r.claim_id, r.archived_at?.toISOString() ?? null])).toEqual([
      [kept, null],
      [archived, '2026-03-05T10:00:00.000Z'],
    ]);
  });

  it('applies updates, ignores duplicates and events older than what it holds', async () => {
    const clientId = randomUUID();
    const reg = h.event(
      'ClientRegistered',
      registered(clientId, 'EF-456-GH'),
      clientId,
      t('2026-01-01T09:00:00Z'),
    );
    const update = h.event(
      'ClientUpdated',
      updated(clientId, 'EF-456-GH', {
        lastName: 'Martin',
        civility: 'Mme',
        firstName: 'Julie',
        changedFields: ['lastName', 'civility', 'firstName'],
        updatedAt: '2026-01-05T09:00:00.000Z',
      }),
      clientId,
      t('2026-01-05T09:00:00Z'),
    );
    const stale = h.event(
      'ClientUpdated',
      updated(clientId, 'EF-456-GH', {
        lastName: 'Ancien',
        status: 'INACTIVE',
        changedFields: ['lastName', 'status'],
        updatedAt: '2026-01-03T09:00:00.000Z',
      }),
      clientId,
      t('2026-01-03T09:00:00Z'),
    );
    // the update twice (at-least-once delivery), then an older one replayed late
    await h.send(reg, update, update, stale);
    await h.processed(DIRECTORY_CONSUMER, reg.id, update.id, stale.id);

    expect(await lookup('EF-456-GH')).toMatchObject({
      lastName: 'Martin',
      firstName: 'Julie',
      civility: 'Mme',
    });
    const [client] = await h.sql<{ status: string }>(
      `SELECT status FROM directory_clients WHERE client_id = $1`,
      [clientId],
    );
    expect(client!.status).toBe('actif');
    const processed = await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_processed WHERE consumer = $1 AND event_id = $2`,
      [DIRECTORY_CONSUMER, update.id],
    );
    expect(processed[0]!.n).toBe(1);
    const consumer = (await h.service.runtime.events.health()).consumers.find(
      (c) => c.consumer === DIRECTORY_CONSUMER,
    );
    expect(consumer!.duplicates).toBeGreaterThanOrEqual(1);
  });

  it('keeps a contract that arrives before its client', async () => {
    const clientId = randomUUID();
    const issued = h.event(
      'ContractIssued',
      contract(clientId, 'JK-789-LM'),
      randomUUID(),
      t('2026-01-01T09:05:00Z'),
    );
    await h.send(issued);
    await h.processed(DIRECTORY_CONSUMER, issued.id);
    expect(await lookup('JK-789-LM')).toBeNull();

    const reg = h.event(
      'ClientRegistered',
      registered(clientId, 'JK-789-LM'),
      clientId,
      t('2026-01-01T09:00:00Z'),
    );
    await h.send(reg);
    await h.processed(DIRECTORY_CONSUMER, reg.id);
    const found = await lookup('JK-789-LM');
    expect(found?.contracts.map((c) => c.contractId)).toEqual([issued.data.contractId]);
  });

  it('forgets an erased client for good (GDPR), whatever arrives late', async () => {
    const clientId = randomUUID();
    const contractId = randomUUID();
    const reg = h.event(
      'ClientRegistered',
      registered(clientId, 'NP-321-QR'),
      clientId,
      t('2026-01-01T09:00:00Z'),
    );
    const issued = h.event('ContractIssued', contract(clientId, 'NP-321-QR', contractId), contractId);
    await h.send(reg, issued);
    await h.processed(DIRECTORY_CONSUMER, reg.id, issued.id);
    expect(await lookup('NP-321-QR')).not.toBeNull();

    const erased = h.event(
      'ClientErased',
      { clientId, contractIds: [contractId], erasedAt: '2026-03-01T09:00:00.000Z', reason: 'GDPR_REQUEST' },
      clientId,
      t('2026-03-01T09:00:00Z'),
    );
    await h.send(erased);
    await h.processed(DIRECTORY_CONSUMER, erased.id);
    expect(await lookup('NP-321-QR')).toBeNull();
    expect(await h.sql(`SELECT 1 FROM directory_clients WHERE client_id = $1`, [clientId])).toHaveLength(0);
    expect(await h.sql(`SELECT 1 FROM directory_contracts WHERE client_id = $1`, [clientId])).toHaveLength(0);

    // a late update (newer timestamp, other partition) and a replayed contract change nothing
    const lateUpdate = h.event(
      'ClientUpdated',
      updated(clientId, 'NP-321-QR', {
        lastName: 'Revenant',
        changedFields: ['lastName'],
        updatedAt: '2026-03-02T09:00:00.000Z',
      }),
      clientId,
      t('2026-03-02T09:00:00Z'),
    );
    const lateContract = h.event('ContractIssued', contract(clientId, 'NP-321-QR'), randomUUID());
    await h.send(lateUpdate, lateContract);
    await h.processed(DIRECTORY_CONSUMER, lateUpdate.id, lateContract.id);
    expect(await lookup('NP-321-QR')).toBeNull();
    expect(await h.sql(`SELECT 1 FROM directory_contracts WHERE client_id = $1`, [clientId])).toHaveLength(0);
    const [tomb] = await h.sql<Record<string, unknown>>(
      `SELECT * FROM directory_erasures WHERE client_id = $1`,
      [clientId],
    );
    expect(Object.keys(tomb!).sort()).toEqual(['client_id', 'erased_at']);
  });

  it("holds a client's matricule, names and phone only as ciphertexts under his key, which his erasure shreds", async () => {
    const clientId = randomUUID();
    const reg = h.event(
      'ClientRegistered',
      registered(clientId, 'ZK-613-WQ', {
        lastName: 'Canarydir',
        firstName: 'Prenomdir',
        civility: 'Mme',
        phone: '+33613614615',
      }),
      clientId,
      t('2026-01-01T09:00:00Z'),
    );
    await h.send(reg);
    await h.processed(DIRECTORY_CONSUMER, reg.id);
    // read back whole, by any spelling of the matricule, and the phone for a call-back
    expect(await lookup('zk 613 wq')).toMatchObject({
      clientId,
      matricule: 'ZK-613-WQ',
      lastName: 'Canarydir',
      firstName: 'Prenomdir',
      civility: 'Mme',
    });
    const repository = new DirectoryRepository(h.service.runtime.dataSource.manager, h.service.parts.vault);
    expect(await repository.phoneOf(clientId)).toBe('+33613614615');

    // at rest: ciphertexts and the matricule's blind index, nothing a dump would show
    const [raw] = await h.sql<Record<string, string | null>>(
      `SELECT row_to_json(c)::text AS json, matricule, matricule_key, civility, last_name, first_name, phone
         FROM directory_clients c WHERE client_id = $1`,
      [clientId],
    );
    for (const clear of ['zk-613-wq', 'zk613wq', 'canarydir', 'prenomdir', '613614615', 'mme'])
      expect(raw!.json!.toLowerCase()).not.toContain(clear);
    for (const column of ['matricule', 'civility', 'last_name', 'first_name', 'phone'])
      expect(raw![column]).toMatch(/^pd1:[A-Za-z0-9_-]+$/);
    expect(raw!.matricule_key).toBe(await repository.matriculeIndex('ZK613WQ'));
    // the database refuses clear text
    await expect(
      h.sql(`UPDATE directory_clients SET last_name = 'Canarydir' WHERE client_id = $1`, [clientId]),
    ).rejects.toThrow('directory_clients_personal_encrypted_check');

    const erased = h.event(
      'ClientErased',
      { clientId, contractIds: [], erasedAt: '2026-03-01T09:00:00.000Z', reason: 'GDPR_REQUEST' },
      clientId,
      t('2026-03-01T09:00:00Z'),
    );
    await h.send(erased);
    await h.processed(DIRECTORY_CONSUMER, erased.id);
    // a copy of the row taken before (a backup) decrypts no more: the key is a tombstone
    const reader = await h.service.parts.vault.reader([clientId]);
    expect(reader.decrypt(clientId, 'directory_clients.last_name', raw!.last_name!)).toEqual({
      erased: true,
    });
    await expect(h.service.parts.vault.writer(clientId)).rejects.toThrow('shredded');
    const [key] = await h.sql<{ wrapped_key: unknown; shredded_at: Date | null }>(
      `SELECT wrapped_key, shredded_at FROM privacy_keys WHERE subject_id = $1`,
      [clientId],
    );
    expect(key).toEqual({ wrapped_key: null, shredded_at: expect.any(Date) as Date });
  });

  it('erases a conversation that signed the client in while his erasure ran', async () => {
    const clientId = randomUUID();
    const setup = h.event('ClientRegistered', registered(clientId, 'RC-909-AS'), clientId);
    await h.send(setup);
    await h.processed(DIRECTORY_CONSUMER, setup.id);
    const started = await h.gql(START_CONVERSATION, { input: { channel: 'CHAT' } });
    const id = started.data!.startConversation.conversation.id;
    // the turn reads him back from the directory, then the test holds it at its write while the
    // erasure is delivered: the erasure must not miss the conversation the turn is binding to him
    const erased = h.event(
      'ClientErased',
      { clientId, contractIds: [], erasedAt: '2026-03-01T09:00:00.000Z', reason: 'GDPR_REQUEST' },
      clientId,
      t('2026-03-01T09:00:00Z'),
    );
    const readBack = () => h.gql(SEND_MESSAGE, { input: { conversationId: id, text: 'RC-909-AS' } });
    let turn: ReturnType<typeof readBack> | undefined;
    await h.service.runtime.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [id]);
      turn = readBack();
      await waitFor(
        'the turn to wait at its write',
        async () => (await lockWaiters(h.sql, { events: ['tuple', 'transactionid'] })) > 0,
      );
      await h.send(erased);
      // the erasure either ran past the turn (the race) or waits for it (the client's lock)
      await waitFor(
        'the erasure to finish or to wait for the turn',
        async () =>
          (await h.processedCount(DIRECTORY_CONSUMER, [erased.id])) === 1 ||
          (await lockWaiters(h.sql, { events: ['advisory'] })) > 0,
      );
    });
    const res = await turn!;
    await h.processed(DIRECTORY_CONSUMER, erased.id);
    // read back (he was known) or refused: either way nothing of him stays in the conversation
    if (!res.errors) expect(res.data!.sendMessage.reply).toMatch(/Dupont/);
    const [conversation] = await h.sql<{ context: unknown; client_id: string | null }>(
      `SELECT context, client_id FROM conversations WHERE id = $1`,
      [id],
    );
    expect(JSON.stringify(conversation)).not.toMatch(/Dupont|RC-909-AS/);
  });

  it("erases what an erased client said to the bot and on his claims, and closes his conversations; others' stay", async () => {
    const [clientId, otherId, contractId, claimId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const setup = [
      h.event('ClientRegistered', registered(clientId, 'ER-404-AS'), clientId, t('2026-01-01T09:00:00Z')),
      // a contract without an end: what the bot says must not change once a fixed date has passed
      h.event('ContractIssued', withoutEnd(contract(clientId, 'ER-404-AS', contractId)), contractId),
      h.event('ClientRegistered', registered(otherId, 'ST-200-AY'), otherId, t('2026-01-01T09:00:00Z')),
      h.event(
        'ClaimOpened',
        {
          claimId,
          claimNumber: 'SIN-2026-0404',
          clientId,
          contractId,
          claimType: 'COLLISION',
          occurredOn: '2026-02-02',
          description: 'choc arrière',
          channel: 'CHAT',
        },
        claimId,
      ),
    ];
    await h.send(...setup);
    await h.processed(DIRECTORY_CONSUMER, ...setup.map((e) => e.id));
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    /** a conversation in which `matricule`'s holder confirms who he is, then describes `said` */
    const talk = async (matricule: string, said: string) => {
      const started = await h.gql(START_CONVERSATION, { input: { channel: 'CHAT' } });
      const id = started.data!.startConversation.conversation.id;
      for (const text of [matricule, 'oui c’est bien moi', said]) {
        const turn = await h.gql(SEND_MESSAGE, { input: { conversationId: id, text } });
        expect(turn.errors).toBeUndefined();
      }
      return id;
    };
    const his = await talk('ER-404-AS', `Ma voiture a été rayée devant chez moi, je suis ${canary}`);
    const theirs = await talk('ST-200-AY', `Un arbre est tombé sur le toit, signé ${canary}`);
    // a message posted on his claim, outside any conversation
    await insertMessageRows(h, [
      {
        conversationId: null,
        claimId,
        role: 'user',
        text: `photos envoyées par ${canary}`,
        timestamp: t('2026-02-03T09:00:00Z'),
      },
    ]);
    const holding = async (conversationId: string | null, claim: string | null) =>
      (await messageTexts(h, '(conversation_id = $1 OR sinistre_id = $2)', [conversationId, claim])).filter(
        (text) => text?.includes(canary),
      ).length;
    expect(await holding(his, claimId)).toBe(2);
    // at rest, nothing of it in clear (issue 18): a copy taken now, as a backup would be
    const copy = await storedMessages(h, '(conversation_id = $1 OR sinistre_id = $2)', [his, claimId]);
    const contextCopy = await conversationContext(h, his);
    expect(JSON.stringify([copy, contextCopy!.stored])).not.toContain(canary);
    expect(JSON.stringify(contextCopy!.opened)).toContain(canary);

    // the bot's voice in his conversation: a clip of its own (it may speak his name), and a
    // common sentence's clip that the other conversation plays too
    const { store } = h.service.parts.voice;
    const [ownClip, sharedClip] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
    await store.put(ownClip, randomBytes(64));
    await store.put(sharedClip, randomBytes(64));
    const voiced = (conversationId: string, clip: string, nth: number) =>
      h.sql(
        `UPDATE historique_conversation SET audio_url = $2 WHERE id = (
           SELECT id FROM historique_conversation WHERE conversation_id = $1 ORDER BY id OFFSET $3 LIMIT 1)`,
        [conversationId, `/audio/${clip}.mp3`, nth],
      );
    await voiced(his, ownClip, 1);
    await voiced(his, sharedClip, 3);
    await voiced(theirs, sharedClip, 1);

    const erased = h.event(
      'ClientErased',
      { clientId, contractIds: [contractId], erasedAt: '2026-03-01T09:00:00.000Z', reason: 'GDPR_REQUEST' },
      clientId,
      t('2026-03-01T09:00:00Z'),
    );
    await h.send(erased);
    await h.processed(DIRECTORY_CONSUMER, erased.id);

    expect(await holding(his, claimId)).toBe(0);
    // his clip is gone from the audio store; the sentence the other conversation plays stays
    expect(await store.has(ownClip)).toBe(false);
    expect(await store.has(sharedClip)).toBe(true);
    // the copy taken before no longer opens: the conversation's and the claim's keys are shredded
    expect((await openStoredMessages(h, copy)).map((m) => m.texte)).toEqual(copy.map(() => null));
    const [shredded] = await new ConversationCipher(h.service.parts.vault).openConversations([
      { id: his, context: structuredClone(contextCopy!.stored) },
    ]);
    expect(shredded!.context).toEqual({ efface_le: '' });
    const [conversation] = await h.sql<{
      context: unknown;
      status: string;
      proprietaire: string;
      messages: number;
      worded: number;
    }>(
      `SELECT c.context, c.status, c.proprietaire,
              (SELECT count(*)::int FROM historique_conversation m WHERE m.conversation_id = c.id) AS messages,
              (SELECT count(m.texte)::int FROM historique_conversation m WHERE m.conversation_id = c.id) AS worded
         FROM conversations c WHERE c.id = $1`,
      [his],
    );
    // the messages stay (when, who), without their words; the bot's context is a marker
    expect(conversation).toEqual({
      context: { efface_le: '2026-03-01T09:00:00.000Z' },
      status: 'completed',
      proprietaire: 'cloture',
      messages: expect.any(Number),
      worded: 0,
    });
    expect(conversation!.messages).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(await h.sql(`SELECT * FROM conversations WHERE id = $1`, [his]))).not.toContain(
      canary,
    );
    // its proof for identity, committed with the erasure: the messages emptied
    const proof = (await h.outbox('ConversationsErased')).find((e) => e.subject === clientId);
    expect(proof?.data).toMatchObject({
      clientId,
      erasureEventId: erased.id,
      items: conversation!.messages + 1,
    });
    // nothing more is written in it
    const late = await h.gql(SEND_MESSAGE, { input: { conversationId: his, text: `encore ${canary}` } });
    expect(late.errors?.[0]?.extensions.code).toBe('CONVERSATION.ERASED');
    // nor on his claim, outside any conversation (the directory forgot whose it was)
    const onClaim = await h.gql(ERASED_CLAIM_MESSAGE, {
      input: { claimId, role: 'USER', text: `encore ${canary}` },
    });
    expect(onClaim.errors?.[0]?.extensions.code).toBe('CONVERSATION.CLAIM_ERASED');
    expect(await holding(his, claimId)).toBe(0);
    // a claim nobody erased still takes messages
    const elsewhere = await h.gql(ERASED_CLAIM_MESSAGE, {
      input: { claimId: randomUUID(), role: 'USER', text: 'photos envoyées' },
    });
    expect(elsewhere.errors).toBeUndefined();
    // the other client's conversation is untouched
    expect(await holding(theirs, null)).toBe(1);
  });
});
