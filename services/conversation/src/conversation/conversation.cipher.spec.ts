// ConversationCipher with an in-memory key store: what is sealed, what stays clear, what a
// shredded key leaves (the database side: conversation.privacy.int.spec.ts).
import {
  CiphertextError,
  devMasterKeyRing,
  LocalKeyWrapper,
  MemoryKeyStore,
  PersonalDataVault,
  SubjectErasedError,
} from '@crm/privacy';
import { ConversationCipher, messageSubject, profileClientOf, SEALED_KEY } from './conversation.cipher';

const CONVERSATION = '0b7c2d4e-1f3a-4b5c-8d6e-7f8091a2b3c4';
const OTHER = '1c8d3e5f-2a4b-4c6d-9e7f-8091a2b3c4d5';
const CLAIM = '2d9e4f60-3b5c-4d7e-8f90-91a2b3c4d5e6';
const CLIENT = '3eaf5071-4c6d-4e8f-9a01-a2b3c4d5e6f7';

const context = {
  conversation_id: CONVERSATION,
  sinistre_id: null,
  client_id: null,
  phase_actuelle: 'auth',
  data_collectee: { nom: 'Dupont', matricule: 'AB-123-CD' },
  messages: [{ role: 'user', texte: 'AB 123 CD', timestamp: '2026-01-02T09:00:00.000Z' }],
  dialogue: { status: 'active', profile: { clientId: CLIENT, nom: 'Dupont' } },
};

function setup() {
  const store = new MemoryKeyStore();
  const vault = new PersonalDataVault({
    store,
    wrapper: new LocalKeyWrapper(devMasterKeyRing()),
    cacheSize: 0,
  });
  return { store, vault, cipher: new ConversationCipher(vault) };
}

describe('ConversationCipher', () => {
  it('keeps the ids and the phase in clear, seals the rest, and opens it back in the seed order', async () => {
    const { cipher } = setup();
    const stored = await cipher.sealContext(CONVERSATION, context);
    expect(Object.keys(stored)).toEqual([
      'conversation_id',
      'sinistre_id',
      'client_id',
      'phase_actuelle',
      SEALED_KEY,
    ]);
    expect(stored[SEALED_KEY]).toMatch(/^pd1:/);
    expect(JSON.stringify(stored)).not.toMatch(/Dupont|AB.123.CD/);
    const [row] = await cipher.openConversations([{ id: CONVERSATION, context: stored }]);
    expect(row!.context).toEqual(context);
    expect(Object.keys(row!.context)).toEqual(Object.keys(context));
  });

  it('binds a sealed context to its conversation: copied onto another, it does not open', async () => {
    const { cipher } = setup();
    const stored = await cipher.sealContext(CONVERSATION, context);
    await cipher.sealContext(OTHER, { phase_actuelle: 'auth' });
    await expect(cipher.openConversations([{ id: OTHER, context: { ...stored } }])).rejects.toThrow(
      CiphertextError,
    );
  });

  it('stores an erased conversation’s marker as it is, and reads a shredded key as erased', async () => {
    const { cipher, vault } = setup();
    expect(await cipher.sealContext(CONVERSATION, { efface_le: '2026-03-01T09:00:00.000Z' })).toEqual({
      efface_le: '2026-03-01T09:00:00.000Z',
    });
    const stored = await cipher.sealContext(CONVERSATION, context);
    await vault.shred(CONVERSATION);
    const [row] = await cipher.openConversations([{ id: CONVERSATION, context: stored }]);
    expect(row!.context).toEqual({ efface_le: '' });
    // nothing new is sealed for it
    await expect(cipher.sealContext(CONVERSATION, context)).rejects.toThrow(SubjectErasedError);
  });

  it('seals each message under its conversation’s key, else its claim’s, and opens them back', async () => {
    const { cipher, vault } = setup();
    const clear = [
      {
        id: 'm1',
        conversationId: CONVERSATION,
        claimId: CLAIM,
        text: 'je suis Dupont',
        sttTranscript: 'je suis du pont',
        metadata: { canal: 'web' },
      },
      { id: 'm2', conversationId: null, claimId: CLAIM, text: 'photos', sttTranscript: null, metadata: null },
    ];
    expect(clear.map(messageSubject)).toEqual([CONVERSATION, CLAIM]);
    const sealed = await cipher.sealMessages(clear);
    expect(sealed[0]).toMatchObject({
      text: expect.stringMatching(/^pd1:/),
      sttTranscript: expect.stringMatching(/^pd1:/),
    });
    expect(sealed[0]!.metadata).toMatch(/^pd1:/);
    expect(sealed[1]).toMatchObject({ sttTranscript: null, metadata: null });
    expect(JSON.stringify(sealed)).not.toMatch(/Dupont|du pont|photos|web/);
    expect(await cipher.openMessages(sealed.map((m) => ({ ...m })))).toEqual(clear);
    // the claim's key shredded: its message has no words left, the conversation's keeps them
    await vault.shred(CLAIM);
    const opened = await cipher.openMessages(sealed.map((m) => ({ ...m })));
    expect(opened.map((m) => m.text)).toEqual(['je suis Dupont', null]);
  });

  it('seals an ownership change’s reason under its conversation’s key; a shredded key keeps none', async () => {
    const { cipher, vault } = setup();
    const stored = await cipher.sealOwnershipReason(CONVERSATION, 'Sinistre réglé avec Mme Dupont');
    expect(stored).toMatch(/^pd1:/);
    expect(stored).not.toContain('Dupont');
    expect(await cipher.sealOwnershipReason(CONVERSATION, null)).toBeNull();
    const other = await cipher.sealOwnershipReason(OTHER, 'CLIENT_REQUEST');
    const rows = [
      { conversationId: CONVERSATION, reason: stored },
      { conversationId: OTHER, reason: other },
      { conversationId: CONVERSATION, reason: null },
    ];
    expect((await cipher.openOwnershipChanges(rows.map((r) => ({ ...r })))).map((r) => r.reason)).toEqual([
      'Sinistre réglé avec Mme Dupont',
      'CLIENT_REQUEST',
      null,
    ]);
    // bound to its conversation: copied onto another's row, it does not open
    await expect(cipher.openOwnershipChanges([{ conversationId: OTHER, reason: stored }])).rejects.toThrow(
      CiphertextError,
    );
    // the client erased: his conversation's reasons read as null, and none is sealed any more
    await vault.shred(CONVERSATION);
    expect((await cipher.openOwnershipChanges(rows.map((r) => ({ ...r })))).map((r) => r.reason)).toEqual([
      null,
      'CLIENT_REQUEST',
      null,
    ]);
    expect(await cipher.sealOwnershipReason(CONVERSATION, 'Rappel fait')).toBeNull();
  });

  it('finds the client the bot read back in the context (the erasure looks him up by it)', () => {
    expect(profileClientOf(context)).toBe(CLIENT);
    expect(profileClientOf({ dialogue: { profile: null } })).toBeNull();
    expect(profileClientOf({})).toBeNull();
  });
});
