// Issue 18: what people say to the bot and to advisors is sealed at rest. A canary said in a bot
// conversation and written on a claim (text, raw transcript, metadata) is nowhere in clear in any
// table of the service's database, its outbox included (the events carry it sealed:
// docs/privacy.md, Events), and reads back whole through the graph. The EncryptConversations and
// EncryptOwnershipReasons migrations convert an existing database in place (the resolution typed
// at closing, sealed at rest and in its event: handoff.int.spec.ts).
import { randomUUID } from 'node:crypto';
import { freshServicePrivacy, serviceVault } from '@crm/privacy';
import { perFile, migrateFrom, tablesText } from '@crm/testing';
import { SEND_MESSAGE, START_CONVERSATION, startHarness } from '../../test/harness';
import { HandoffRepository } from '../handoff/handoff.repository';
import { conversationService } from '../service';
import { ConversationCipher } from './conversation.cipher';
import { CLIENT_CONVERSATIONS, ConversationRepository } from './conversation.repository';

describe('conversations at rest', () => {
  const h = perFile(() => startHarness('conv_privacy'));

  it('keeps no word of a conversation or of a claim’s messages in clear, and reads them back whole', async () => {
    const canary = `Canari${randomUUID().slice(0, 8)}`;
    const started = await h.gql(START_CONVERSATION, { input: { channel: 'CHAT' } });
    const id = started.data!.startConversation.conversation.id;
    const turn = await h.gql(SEND_MESSAGE, { input: { conversationId: id, text: `je suis ${canary}` } });
    expect(turn.errors).toBeUndefined();
    const claimId = randomUUID();
    const posted = await h.gql<{ addClaimMessage: { id: string } }>(
      `mutation($input: AddClaimMessageInput!) { addClaimMessage(input: $input) { id } }`,
      {
        input: {
          claimId,
          role: 'USER',
          text: `photos de ${canary}`,
          sttTranscript: `fotos de ${canary}`,
          sttConfidence: 0.8,
          metadata: { signature: canary },
        },
      },
    );
    expect(posted.errors).toBeUndefined();

    const tables = await tablesText(h.sql);
    expect(tables.get('historique_conversation')).toMatch(/pd1:/);
    const holding = [...tables]
      .filter(([, text]) => text.includes(canary.toLowerCase()))
      .map(([name]) => name);
    expect(holding).toEqual([]);

    const read = await h.gql<{
      conversation: { context: { messages: { texte: string }[] }; messages: { text: string }[] };
      claimHistory: { text: string; sttTranscript: string; metadata: unknown }[];
    }>(
      `query($id: ID!, $claimId: ID!) {
         conversation(id: $id) { context messages { text } }
         claimHistory(claimId: $claimId) { text sttTranscript metadata }
       }`,
      { id, claimId },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.conversation.messages.map((m) => m.text)).toContain(`je suis ${canary}`);
    expect(read.data!.conversation.context.messages.map((m) => m.texte)).toContain(`je suis ${canary}`);
    expect(read.data!.claimHistory).toEqual([
      { text: `photos de ${canary}`, sttTranscript: `fotos de ${canary}`, metadata: { signature: canary } },
    ]);
  });

  it('refuses clear words in the tables themselves', async () => {
    await expect(
      h.sql(`INSERT INTO historique_conversation (role, texte) VALUES ('user', 'en clair')`),
    ).rejects.toThrow(/historique_conversation_personal_encrypted_check/);
    await expect(
      h.sql(`INSERT INTO historique_conversation (role, metadata) VALUES ('user', '{"nom": "Dupont"}')`),
    ).rejects.toThrow(/historique_conversation_personal_encrypted_check/);
    await expect(
      h.sql(`INSERT INTO conversations (context) VALUES ('{"phase_actuelle": "auth", "messages": []}')`),
    ).rejects.toThrow(/conversations_context_encrypted_check/);
  });
});

describe('EncryptConversations migration', () => {
  it('seals the conversations and messages of an existing database in place, which keep working', async () => {
    const privacy = freshServicePrivacy();
    const definition = conversationService(undefined, undefined, undefined, undefined, privacy);
    const [talking, erased, claimId, clientId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const context = {
      conversation_id: talking,
      sinistre_id: null,
      client_id: null,
      phase_actuelle: 'auth',
      data_collectee: { matricule: 'MG-303-RA' },
      messages: [{ role: 'user', texte: 'MG 303 RA', timestamp: '2026-02-01T10:00:00.000Z' }],
      dialogue: { status: 'active', profile: { clientId, nom: 'Ancienconversation' } },
    };
    await migrateFrom('conversation_encrypt_conv', {
      of: definition,
      name: 'EncryptConversations1767700000000',
      seed: async (old) => {
        await old.query(
          `INSERT INTO conversations (id, phase, context) VALUES ($1, 'auth', $2), ($3, 'auth', $4)`,
          [talking, context, erased, { efface_le: '2026-02-01T11:00:00.000Z' }],
        );
        await old.query(
          `INSERT INTO historique_conversation (conversation_id, sinistre_id, role, texte, texte_stt, metadata, timestamp, sequence)
             VALUES ($1, NULL, 'user', 'MG 303 RA', 'MG trois cent trois RA', '{"nom": "Ancienconversation"}', '2026-02-01T10:00:00Z', 1),
                    (NULL, $2, 'user', 'photos Ancienconversation', NULL, NULL, '2026-02-01T10:05:00Z', NULL),
                    ($3, NULL, 'bot', NULL, NULL, NULL, '2026-02-01T10:06:00Z', 1)`,
          [talking, claimId, erased],
        );
      },
      check: async (ds) => {
        const text = JSON.stringify([
          await ds.query(`SELECT * FROM conversations`),
          await ds.query(`SELECT * FROM historique_conversation`),
        ]).toLowerCase();
        for (const clear of ['mg-303-ra', 'mg 303 ra', 'trois cent', 'ancienconversation'])
          expect(text).not.toContain(clear);
        // the erasure still finds the conversation awaiting his confirmation
        expect(
          await ds.query(`SELECT id FROM conversations WHERE ${CLIENT_CONVERSATIONS}`, [clientId]),
        ).toEqual([{ id: talking }]);

        const vault = serviceVault(privacy, ds);
        const repo = new ConversationRepository(ds.manager, vault);
        const rows = await repo.conversationsByIds([talking, erased]);
        expect(rows.find((r) => r.id === talking)!.context).toEqual(context);
        expect(rows.find((r) => r.id === erased)!.context).toEqual({
          efface_le: '2026-02-01T11:00:00.000Z',
        });
        expect(
          (await repo.messagesOf('conversation_id', [talking], 10)).map((m) => [
            m.text,
            m.sttTranscript,
            m.metadata,
          ]),
        ).toEqual([['MG 303 RA', 'MG trois cent trois RA', { nom: 'Ancienconversation' }]]);
        expect((await repo.messagesOf('sinistre_id', [claimId], 10)).map((m) => m.text)).toEqual([
          'photos Ancienconversation',
        ]);
      },
    });
  });
});

describe('EncryptOwnershipReasons migration', () => {
  it('seals the reasons of the changes of owner in place, and empties those of erased conversations', async () => {
    const privacy = freshServicePrivacy();
    const definition = conversationService(undefined, undefined, undefined, undefined, privacy);
    // a live conversation; one whose key was shredded; one erased before it had a key
    const [live, shredded, erasedEarly] = [randomUUID(), randomUUID(), randomUUID()];
    const resolution = 'Réglé avec Mme Ancienneraison au téléphone';
    const change = (conversationId: string, sequence: number, cause: string, reason: string | null) => [
      randomUUID(),
      conversationId,
      sequence,
      cause,
      reason,
    ];
    await migrateFrom('conversation_encrypt_reasons', {
      of: definition,
      name: 'EncryptOwnershipReasons1767900002000',
      // the database as it was before: contexts sealed already (EncryptConversations), reasons in clear
      seed: async (old) => {
        const cipher = new ConversationCipher(serviceVault(privacy, old));
        const sealed = (id: string) =>
          cipher.sealContext(id, { conversation_id: id, phase_actuelle: 'auth' });
        await old.query(
          `INSERT INTO conversations (id, phase, context, proprietaire) VALUES
             ($1, 'auth', $2, 'cloture'), ($3, 'auth', $4, 'cloture'), ($5, 'auth', $6, 'cloture')`,
          [
            live,
            await sealed(live),
            shredded,
            await sealed(shredded),
            erasedEarly,
            { efface_le: '2026-02-01T11:00:00.000Z' },
          ],
        );
        await old.transaction((tx) => cipher.shred(shredded, tx));
        const rows = [
          change(live, 1, 'HANDOFF_REQUESTED', 'CLIENT_REQUEST'),
          change(live, 2, 'ADVISOR_ASSIGNED', null),
          change(live, 3, 'CLOSED_BY_ADVISOR', resolution),
          change(shredded, 1, 'CLOSED_BY_ADVISOR', 'Vu avec M. Ancienefface'),
          change(erasedEarly, 1, 'ESCALATION_RESOLVED', 'Rappelé, M. Ancienefface'),
        ];
        for (const row of rows)
          await old.query(
            `INSERT INTO conversation_proprietaires (id, conversation_id, sequence, de, vers, cause, raison, date)
               VALUES ($1, $2, $3, 'conseiller', 'cloture', $4, $5, '2026-02-01T10:00:00Z')`,
            row,
          );
      },
      check: async (ds) => {
        const stored = await ds.query<{ conversation_id: string; raison: string | null }[]>(
          `SELECT conversation_id, raison FROM conversation_proprietaires ORDER BY conversation_id, sequence`,
        );
        const text = JSON.stringify(stored).toLowerCase();
        for (const clear of ['client_request', 'ancienneraison', 'ancienefface'])
          expect(text).not.toContain(clear);
        expect(stored.filter((r) => r.conversation_id === live).map((r) => r.raison)).toEqual([
          expect.stringMatching(/^pd1:/),
          null,
          expect.stringMatching(/^pd1:/),
        ]);
        // the erased conversations keep their changes of owner, without the words
        expect(stored.filter((r) => r.conversation_id !== live).map((r) => r.raison)).toEqual([null, null]);
        // and no key was made for the one erased before it had one
        expect(
          await ds.query(`SELECT subject_id FROM privacy_keys WHERE subject_id = $1`, [erasedEarly]),
        ).toEqual([]);

        const repo = new HandoffRepository(ds.manager, serviceVault(privacy, ds));
        const latest = await repo.latestChanges([live, shredded, erasedEarly]);
        expect(latest.map((c) => [c.conversationId, c.cause, c.reason]).sort()).toEqual(
          [
            [live, 'CLOSED_BY_ADVISOR', resolution],
            [shredded, 'CLOSED_BY_ADVISOR', null],
            [erasedEarly, 'ESCALATION_RESOLVED', null],
          ].sort(),
        );
        const page = await repo.sequencePage(live, 0, 3);
        expect(page.map((item) => (item.kind === 'OWNERSHIP' ? item.change.reason : item.kind))).toEqual([
          'CLIENT_REQUEST',
          null,
          resolution,
        ]);
        await expect(
          ds.query(
            `INSERT INTO conversation_proprietaires (id, conversation_id, sequence, de, vers, cause, raison, date)
               VALUES ($1, $2, 4, 'cloture', 'bot', 'HANDED_BACK', 'en clair', now())`,
            [randomUUID(), live],
          ),
        ).rejects.toThrow(/conversation_proprietaires_personal_encrypted_check/);
      },
    });
  });
});
