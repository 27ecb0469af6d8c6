import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@crm/config';
import {
  blindIndex,
  BoundedCache,
  CiphertextError,
  decryptBytes,
  decryptField,
  encryptBytes,
  encryptField,
  ensureLocalMasterKeyFile,
  LocalKeyWrapper,
  masterKeyRingOf,
  MasterKeyUnknownError,
  MemoryKeyStore,
  newMasterKeyEntry,
  parseMasterKeyRing,
  PersonalDataVault,
  SubjectErasedError,
  type MasterKeyRing,
} from './index';

const PERSON = '5f0c4d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f';
const OTHER = '6a1d5e2f-8b3c-4d4e-8f90-1b2c3d4e5f60';
const ring = (...entries: string[]): MasterKeyRing => parseMasterKeyRing(entries.join(','));
const K1 = newMasterKeyEntry('k1');
const K2 = newMasterKeyEntry('k2');
const vaultOf = (store: MemoryKeyStore, keys: MasterKeyRing, at = { ms: 0 }) =>
  new PersonalDataVault({
    store,
    wrapper: new LocalKeyWrapper(keys),
    cacheSize: 2,
    cacheTtlMs: 1000,
    clock: () => new Date(at.ms),
  });

/** flips one bit of the payload (after "pd1:") */
function tamper(text: string, at: number): string {
  const raw = Buffer.from(text.slice(4), 'base64url');
  raw[at % raw.length]! ^= 0x01;
  return `pd1:${raw.toString('base64url')}`;
}

describe('field encryption', () => {
  const key = randomBytes(32);

  it('round-trips with a fresh IV each time, and the ciphertext holds no clear text', () => {
    const a = encryptField(key, PERSON, 'clients.nom', 'Durand-Canary');
    const b = encryptField(key, PERSON, 'clients.nom', 'Durand-Canary');
    expect(a).toMatch(/^pd1:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Durand');
    expect(decryptField(key, PERSON, 'clients.nom', a)).toBe('Durand-Canary');
    expect(
      decryptField(key, PERSON, 'clients.nom', encryptField(key, PERSON, 'clients.nom', 'é ü 漢字')),
    ).toBe('é ü 漢字');
  });

  it('refuses another subject, another field, another key (AAD and key bound)', () => {
    const text = encryptField(key, PERSON, 'clients.email', 'a@b.fr');
    expect(() => decryptField(key, OTHER, 'clients.email', text)).toThrow(CiphertextError);
    expect(() => decryptField(key, PERSON, 'clients.telephone', text)).toThrow(CiphertextError);
    expect(() => decryptField(randomBytes(32), PERSON, 'clients.email', text)).toThrow(CiphertextError);
  });

  it('refuses a tampered, truncated or foreign text', () => {
    const text = encryptField(key, PERSON, 'clients.nom', 'Durand');
    for (const at of [0, 5, 12, 20, 30])
      expect(() => decryptField(key, PERSON, 'clients.nom', tamper(text, at))).toThrow(CiphertextError);
    expect(() => decryptField(key, PERSON, 'clients.nom', text.slice(0, 20))).toThrow(CiphertextError);
    expect(() => decryptField(key, PERSON, 'clients.nom', 'Durand')).toThrow(CiphertextError);
  });
});

describe('bytes encryption', () => {
  const key = randomBytes(32);
  // an MP3 frame's first bytes and a spoken name, as a voice clip would hold them
  const clip = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.from('Durand-Canary')]);

  it('round-trips in binary form (32 bytes more), fresh IV each time, no clear bytes', () => {
    const a = encryptBytes(key, PERSON, 'audio.clip', clip);
    const b = encryptBytes(key, PERSON, 'audio.clip', clip);
    expect(a.subarray(0, 4).toString('latin1')).toBe('pdb1');
    expect(a.length).toBe(clip.length + 32);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('Durand'))).toBe(false);
    expect(decryptBytes(key, PERSON, 'audio.clip', a).equals(clip)).toBe(true);
  });

  it('refuses another subject, field or key, a flipped bit, a truncation and clear bytes', () => {
    const sealed = encryptBytes(key, PERSON, 'audio.clip', clip);
    expect(() => decryptBytes(key, OTHER, 'audio.clip', sealed)).toThrow(CiphertextError);
    expect(() => decryptBytes(key, PERSON, 'audio.other', sealed)).toThrow(CiphertextError);
    expect(() => decryptBytes(randomBytes(32), PERSON, 'audio.clip', sealed)).toThrow(CiphertextError);
    for (const at of [4, 10, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at]! ^= 0x01;
      expect(() => decryptBytes(key, PERSON, 'audio.clip', tampered)).toThrow(CiphertextError);
    }
    expect(() => decryptBytes(key, PERSON, 'audio.clip', sealed.subarray(0, 20))).toThrow(CiphertextError);
    expect(() => decryptBytes(key, PERSON, 'audio.clip', clip)).toThrow(CiphertextError);
  });

  it('through the vault: the writer seals, the reader opens, a shredded subject reads as erased', async () => {
    const vault = vaultOf(new MemoryKeyStore(), ring(K1));
    const sealed = (await vault.writer(PERSON)).encryptBytes('audio.clip', clip);
    const opened = (await vault.reader([PERSON])).decryptBytes(PERSON, 'audio.clip', sealed);
    expect(opened.erased === false && opened.value.equals(clip)).toBe(true);
    await vault.shred(PERSON);
    expect((await vault.reader([PERSON])).decryptBytes(PERSON, 'audio.clip', sealed)).toEqual({
      erased: true,
    });
  });
});

describe('LocalKeyWrapper', () => {
  it('wraps under the current key, unwraps only with the same subject and a configured key id', async () => {
    const dataKey = randomBytes(32);
    const wrapped = await new LocalKeyWrapper(ring(K1)).wrap(dataKey, PERSON);
    expect(wrapped.masterKeyId).toBe('k1');
    expect(wrapped.wrapped.includes(dataKey)).toBe(false);
    expect(await new LocalKeyWrapper(ring(K2, K1)).unwrap(wrapped, PERSON)).toEqual(dataKey);
    await expect(new LocalKeyWrapper(ring(K1)).unwrap(wrapped, OTHER)).rejects.toThrow(CiphertextError);
    await expect(new LocalKeyWrapper(ring(K2)).unwrap(wrapped, PERSON)).rejects.toThrow(
      MasterKeyUnknownError,
    );
    const flipped = Buffer.from(wrapped.wrapped);
    flipped[20]! ^= 1;
    await expect(
      new LocalKeyWrapper(ring(K1)).unwrap({ ...wrapped, wrapped: flipped }, PERSON),
    ).rejects.toThrow(CiphertextError);
  });
});

describe('PersonalDataVault', () => {
  it('makes one key per person on first write, and reads back what it wrote', async () => {
    const store = new MemoryKeyStore();
    const vault = vaultOf(store, ring(K1));
    const text = (await vault.writer(PERSON)).encrypt('clients.prenom', 'Sophie');
    const other = (await vault.writer(OTHER)).encrypt('clients.prenom', 'Sophie');
    expect(store.rows.size).toBe(2);
    const reader = await vault.reader([PERSON, OTHER]);
    expect(reader.decrypt(PERSON, 'clients.prenom', text)).toEqual({ erased: false, value: 'Sophie' });
    expect(reader.decrypt(OTHER, 'clients.prenom', other)).toEqual({ erased: false, value: 'Sophie' });
    // one person's ciphertext does not open under another's key
    expect(() => reader.decrypt(OTHER, 'clients.prenom', text)).toThrow(CiphertextError);
  });

  it('after shred, every ciphertext of that person reads as erased, nothing new can be written, others are untouched', async () => {
    const store = new MemoryKeyStore();
    const vault = vaultOf(store, ring(K1));
    const mine = (await vault.writer(PERSON)).encrypt('clients.email', 'canary@example.fr');
    const theirs = (await vault.writer(OTHER)).encrypt('clients.email', 'other@example.fr');
    expect(await vault.shred(PERSON)).toBe(true);
    // a fresh process (empty cache) over the same store: nothing left to unwrap
    const fresh = vaultOf(store, ring(K1));
    for (const v of [vault, fresh]) {
      const reader = await v.reader([PERSON, OTHER]);
      expect(reader.decrypt(PERSON, 'clients.email', mine)).toEqual({ erased: true });
      expect(reader.decrypt(OTHER, 'clients.email', theirs)).toEqual({
        erased: false,
        value: 'other@example.fr',
      });
      await expect(v.writer(PERSON)).rejects.toThrow(SubjectErasedError);
    }
    expect(await vault.shred(PERSON)).toBe(false);
    expect(store.rows.get(PERSON)).toBe('shredded');
  });

  it('reads a person who never had a key as erased, without making one', async () => {
    const store = new MemoryKeyStore();
    const reader = await vaultOf(store, ring(K1)).reader([PERSON]);
    expect(reader.decrypt(PERSON, 'clients.nom', 'pd1:AAAA')).toEqual({ erased: true });
    expect(store.rows.size).toBe(0);
  });

  it('rotation: a key wrapped under the old master key still opens, new keys use the new one, rewrapAll moves the old ones', async () => {
    const store = new MemoryKeyStore();
    const before = vaultOf(store, ring(K1));
    const text = (await before.writer(PERSON)).encrypt('clients.nom', 'Durand');
    const rotated = vaultOf(store, ring(K2, K1));
    expect((await rotated.reader([PERSON])).decrypt(PERSON, 'clients.nom', text)).toEqual({
      erased: false,
      value: 'Durand',
    });
    await rotated.writer(OTHER);
    expect(store.rows.get(OTHER)).toMatchObject({ masterKeyId: 'k2' });
    expect(store.rows.get(PERSON)).toMatchObject({ masterKeyId: 'k1' });
    // without k1 the old key does not open...
    await expect(vaultOf(store, ring(K2)).reader([PERSON])).rejects.toThrow(MasterKeyUnknownError);
    // ...until it is rewrapped under k2
    expect(await rotated.rewrapAll(1)).toBe(1);
    expect(await rotated.rewrapAll()).toBe(0);
    expect(store.rows.get(PERSON)).toMatchObject({ masterKeyId: 'k2' });
    expect((await vaultOf(store, ring(K2)).reader([PERSON])).decrypt(PERSON, 'clients.nom', text)).toEqual({
      erased: false,
      value: 'Durand',
    });
  });

  it('caches unwrapped keys within its bound and lifetime', async () => {
    const store = new MemoryKeyStore();
    const at = { ms: 0 };
    const vault = vaultOf(store, ring(K1), at);
    await vault.writer(PERSON);
    const finds = store.finds;
    await vault.reader([PERSON]);
    expect(store.finds).toBe(finds);
    at.ms = 1001;
    await vault.reader([PERSON]);
    expect(store.finds).toBe(finds + 1);
  });

  it('refuses reserved and empty subjects', async () => {
    const vault = vaultOf(new MemoryKeyStore(), ring(K1));
    await expect(vault.writer('~blind-index/v1')).rejects.toThrow('not starting with "~"');
    await expect(vault.shred('')).rejects.toThrow();
  });
});

describe('blind index', () => {
  it('is stable for a value in any spelling, keyed, and field-separated', async () => {
    const key = randomBytes(32);
    expect(blindIndex(key, 'email', ' Canary@Example.FR ')).toBe(
      blindIndex(key, 'email', 'canary@example.fr'),
    );
    expect(blindIndex(key, 'email', 'canary@example.fr')).not.toBe(
      blindIndex(randomBytes(32), 'email', 'canary@example.fr'),
    );
    expect(blindIndex(key, 'email', 'x')).not.toBe(blindIndex(key, 'matricule', 'x'));
    expect(blindIndex(key, 'email', 'canary@example.fr')).not.toContain('canary');

    // the vault's index key: made once, the same for a second process on the same store
    const store = new MemoryKeyStore();
    const a = await vaultOf(store, ring(K1)).blindIndex('matricule', 'AB-123-CD');
    const b = await vaultOf(store, ring(K2, K1)).blindIndex('matricule', 'ab-123-cd');
    expect(a).toBe(b);
    expect(await vaultOf(new MemoryKeyStore(), ring(K1)).blindIndex('matricule', 'AB-123-CD')).not.toBe(a);
  });
});

describe('BoundedCache', () => {
  it('drops the least recently used beyond its bound, and expired entries', () => {
    let now = 0;
    const cache = new BoundedCache<number>(2, 10, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    now = 10;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('master key configuration', () => {
  it('parses a ring, the first key current, and names bad entries without showing key material', () => {
    expect(ring(K2, K1).currentId).toBe('k2');
    expect(() => parseMasterKeyRing('k1:c2hvcnQ=')).toThrow('key "k1" must be 32 bytes');
    expect(() => parseMasterKeyRing(`${K1},${K1}`)).toThrow('given twice');
    expect(() => parseMasterKeyRing('no-separator')).toThrow('entry 1');
  });

  it('reads PRIVACY_MASTER_KEY or a key file, refuses both, and needs one in production', () => {
    expect(masterKeyRingOf({ NODE_ENV: 'production', PRIVACY_MASTER_KEY: K1 }).currentId).toBe('k1');
    expect(() => masterKeyRingOf({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(masterKeyRingOf({ NODE_ENV: 'test' }).currentId).toBe('dev-only-1');
    const dir = mkdtempSync(join(tmpdir(), 'privacy-'));
    const file = join(dir, 'master.key');
    writeFileSync(file, `${K2}\n${K1}\n`);
    expect([
      ...masterKeyRingOf({ NODE_ENV: 'production', PRIVACY_MASTER_KEY_FILE: file }).keys.keys(),
    ]).toEqual(['k2', 'k1']);
    expect(() =>
      masterKeyRingOf({ NODE_ENV: 'test', PRIVACY_MASTER_KEY: K1, PRIVACY_MASTER_KEY_FILE: file }),
    ).toThrow(ConfigError);
    expect(() => masterKeyRingOf({ NODE_ENV: 'test', PRIVACY_MASTER_KEY_FILE: join(dir, 'absent') })).toThrow(
      ConfigError,
    );
  });

  it("npm start's local key file is made once, private, and read back the same", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'privacy-')), 'sub', 'master.key');
    ensureLocalMasterKeyFile(file);
    const first = readFileSync(file, 'utf8');
    ensureLocalMasterKeyFile(file);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(masterKeyRingOf({ NODE_ENV: 'development', PRIVACY_MASTER_KEY_FILE: file }).currentId).toBe(
      'local-1',
    );
  });
});
