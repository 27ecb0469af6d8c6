// The file audio store (npm start's default): an erased client's clips are deleted from the
// folder, a clip already gone counts for nothing, a key that is not a hash is refused.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAudioStore } from './audio-store';

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
