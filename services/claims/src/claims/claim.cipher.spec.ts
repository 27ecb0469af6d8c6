// ClaimCipher with an in-memory key store: what is sealed under whose key, what a shredded key
// leaves (the database side: claim.privacy.int.spec.ts, erasure.int.spec.ts).
import { devMasterKeyRing, LocalKeyWrapper, MemoryKeyStore, PersonalDataVault } from '@crm/privacy';
import { ClaimCipher, thirdPartySubject } from './claim.cipher';
import { ClaimEntity } from './claim.entity';
import type { StatusChange } from './claim-lifecycle.rules';

const CLAIM = '4fb06182-5d7e-4f90-8b12-b3c4d5e6f708';

function setup() {
  const store = new MemoryKeyStore();
  const vault = new PersonalDataVault({
    store,
    wrapper: new LocalKeyWrapper(devMasterKeyRing()),
    cacheSize: 0,
  });
  return { store, vault, cipher: new ClaimCipher(vault) };
}

const history: StatusChange[] = [
  {
    from: 'NEW',
    to: 'AWAITING_CLIENT',
    reason: 'rappeler M. Dupont',
    actor: { kind: 'advisor', id: 'a' },
    at: 'x',
  },
  { from: 'AWAITING_CLIENT', to: 'IN_PROGRESS', reason: null, actor: { kind: 'advisor', id: 'a' }, at: 'y' },
];

const words = {
  description: 'rayée par Dupont',
  location: '3 rue des Lilas',
  thirdPartyName: 'M. Martin',
  thirdPartyContact: '06 11 22 33 44',
  photoUrls: ['https://p.example.fr/dupont.jpg'],
  statusHistory: history,
};

/** a claim row as read back from the database: the stored values on an entity */
const stored = (values: Partial<ClaimEntity>): ClaimEntity =>
  Object.assign(new ClaimEntity(), { id: CLAIM }, values);

describe('ClaimCipher', () => {
  it('seals the client’s words under the claim’s key and the third party under his own, and opens them back', async () => {
    const { cipher, store } = setup();
    const sealed = await cipher.sealValues(CLAIM, { id: CLAIM, estimatedDamage: '800.00', ...words });
    expect(sealed.estimatedDamage).toBe('800.00');
    for (const key of ['description', 'location', 'thirdPartyName', 'thirdPartyContact'] as const)
      expect(sealed[key]).toMatch(/^pd1:/);
    expect(sealed.photoUrls).toMatch(/^pd1:/);
    expect(sealed.statusHistory!.map((h) => h.reason?.slice(0, 4) ?? null)).toEqual(['pd1:', null]);
    expect(JSON.stringify(sealed)).not.toMatch(/Dupont|Lilas|Martin|11 22 33/);
    expect([...store.rows.keys()].sort()).toEqual([CLAIM, thirdPartySubject(CLAIM)].sort());
    const [opened] = await cipher.openClaims([stored(sealed)]);
    expect(opened).toMatchObject(words);
  });

  it('reads the keys with the rows but decrypts a word only when it is read (a list of statuses decrypts none)', async () => {
    const { cipher, vault } = setup();
    const sealed = await cipher.sealValues(CLAIM, { id: CLAIM, ...words });
    const reader = vault.reader.bind(vault);
    const opened: string[] = [];
    jest.spyOn(vault, 'reader').mockImplementation(async (subjects, tx) => {
      const r = await reader(subjects, tx);
      return {
        ...r,
        open: (subject, field, value) => {
          opened.push(field);
          return r.open(subject, field, value);
        },
      };
    });
    const [claim] = await cipher.openClaims([
      stored({ ...sealed, claimNumber: 'SIN-2026-000001', status: 'nouveau' }),
    ]);
    expect(vault.reader).toHaveBeenCalledTimes(1);
    expect([claim!.id, claim!.claimNumber, claim!.status]).toEqual([CLAIM, 'SIN-2026-000001', 'nouveau']);
    expect(opened).toEqual([]);
    expect(claim!.description).toBe(words.description);
    expect(claim!.description).toBe(words.description);
    expect(opened).toHaveLength(1);
    // the rest when read, each once: what a spread or a comparison reads
    expect(claim).toMatchObject(words);
    expect(opened).toHaveLength(7);
  });

  it('after the claim’s key is shredded its words read as null, the third party’s still read', async () => {
    const { cipher, vault } = setup();
    const sealed = await cipher.sealValues(CLAIM, { id: CLAIM, ...words });
    await vault.shred(CLAIM);
    const [opened] = await cipher.openClaims([stored(sealed)]);
    expect(opened).toMatchObject({
      description: null,
      location: null,
      photoUrls: null,
      thirdPartyName: 'M. Martin',
      thirdPartyContact: '06 11 22 33 44',
    });
    expect(opened!.statusHistory.map((h) => h.reason)).toEqual([null, null]);
  });

  it('makes no key for a change without words, nor the claim’s for a third party alone', async () => {
    const { cipher, store, vault } = setup();
    expect(
      await cipher.sealValues(CLAIM, { status: 'en_cours', statusHistory: [{ ...history[1]! }] }),
    ).toEqual({
      status: 'en_cours',
      statusHistory: [history[1]],
    });
    expect(store.rows.size).toBe(0);
    // an erased client's claim (its key shredded) still takes its third party's name
    await vault.shred(CLAIM);
    const sealed = await cipher.sealValues(CLAIM, { thirdPartyName: 'M. Martin' });
    expect(sealed.thirdPartyName).toMatch(/^pd1:/);
  });
});
