// The file audio store (npm start's default): an erased client's clips are deleted from the
// folder, a clip already gone counts for nothing, a key that is not a hash is refused; sealed
// (sealed-audio-store.ts), its files hold no clear byte and a deleted clip's key is shredded.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devMasterKeyRing, LocalKeyWrapper, MemoryKeyStore, PersonalDataVault } from '@crm/privacy';
import { FileAudioStore } from './audio-store';
import { CLIP_FIELD, SealedAudioStore, sealedClipSubject } from './sealed-audio-store';

const key = () => randomBytes(32).toString('hex');

describe('FileAudioStore.delete', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audio-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('deletes the files of the keys it is given, and only those', async () => {
    const store = new FileAudioStore(dir);
    const [his, another] = [key(), key()];
    await store.put(his, randomBytes(32));
    await store.put(another, randomBytes(32));
    expect(await store.delete([his, key()])).toBe(1);
    expect(await store.has(his)).toBe(false);
    expect(await store.has(another)).toBe(true);
    expect(readdirSync(dir)).toEqual([`${another}.mp3`]);
    expect(await store.delete([his])).toBe(0);
    await expect(store.delete(['../../etc/passwd'])).rejects.toThrow(/64 hexadecimal/);
  });
});

describe('SealedAudioStore over the file store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealed-audio-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const vault = new PersonalDataVault({
    store: new MemoryKeyStore(),
    wrapper: new LocalKeyWrapper(devMasterKeyRing()),
    cacheSize: 0,
  });
  const clip = (words: string) => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.from(words)]);

  it('writes a file nobody can read without its key, and plays it back whole', async () => {
    const files = new FileAudioStore(dir);
    const store = new SealedAudioStore(files, vault);
    const k = key();
    await store.put(k, clip('Bonjour Monsieur Canari'));
    const onDisk = readFileSync(join(dir, `${k}.mp3`));
    expect(onDisk.includes(Buffer.from('Canari'))).toBe(false);
    expect(sealedClipSubject(onDisk)).toMatch(/^clip:/);
    expect((await store.get(k))?.equals(clip('Bonjour Monsieur Canari'))).toBe(true);
    expect(await store.has(k)).toBe(true);
  });

  it('deletes a clip with its key: a copy of the file kept elsewhere opens to nothing', async () => {
    const files = new FileAudioStore(dir);
    const store = new SealedAudioStore(files, vault);
    const [his, another] = [key(), key()];
    await store.put(his, clip('Monsieur Efface'));
    await store.put(another, clip('Au revoir'));
    const copy = (await files.get(his))!;
    expect(await store.delete([his, key()])).toBe(1);
    const subject = sealedClipSubject(copy)!;
    expect((await vault.reader([subject])).decryptBytes(subject, CLIP_FIELD, copy.subarray(16))).toEqual({
      erased: true,
    });
    // a copy put back (a restored backup) is not served either
    await files.put(his, copy);
    expect(await store.get(his)).toBeNull();
    expect((await store.get(another))?.equals(clip('Au revoir'))).toBe(true);
  });

  it('serves a clear clip written before the clips were sealed as it is', async () => {
    const files = new FileAudioStore(dir);
    const k = key();
    await files.put(k, clip('ancien'));
    expect((await new SealedAudioStore(files, vault).get(k))?.equals(clip('ancien'))).toBe(true);
    // the file store keeps its clips: there is nothing to purge
    expect(await new SealedAudioStore(files, vault).purge(new Date(8.64e15))).toBe(0);
  });
});
