// The PostgreSQL audio store (AUDIO_STORE=postgres) of a real conversation service: a clip
// written once per key, read back byte for byte, and deleted by the retention task's purge
// (AUDIO_RETENTION_DAYS) once older than the retention, measured on the service's clock.
import { randomBytes } from 'node:crypto';
import { startServiceForTest } from '@crm/testing';
import { ADVISOR, type Harness } from '../../test/harness';
import { envSchema } from '../env';
import { definitionFromEnv } from '../service';

const DAY = 86_400_000;
const key = () => randomBytes(32).toString('hex');

describe('the PostgreSQL audio store and its retention', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startServiceForTest(definitionFromEnv, {
      envSchema,
      principal: ADVISOR,
      label: 'audiostore',
      env: {
        AUDIO_STORE: 'postgres',
        AUDIO_RETENTION_DAYS: '30',
        TTS_PROVIDER: 'none',
        VOICE_WARM_UP: 'false',
      },
    });
  }, 120_000);
  afterAll(() => h?.stop());

  it('keeps a clip once per key, reads it back and refuses a key that is not a hash', async () => {
    const { store } = h.service.parts.voice;
    const k = key();
    const first = randomBytes(2048);
    expect(await store.has(k)).toBe(false);
    await store.put(k, first);
    await store.put(k, randomBytes(16)); // the same key again: the first clip stays
    expect(await store.has(k)).toBe(true);
    expect((await store.get(k))?.equals(first)).toBe(true);
    expect(await store.get(key())).toBeNull();
    await expect(store.put('../etc/passwd', first)).rejects.toThrow(/64 hexadecimal/);
  });

  it('the purge deletes the clips older than the retention and keeps the others', async () => {
    const { store } = h.service.parts.voice;
    const old = key();
    const recent = key();
    await store.put(old, randomBytes(64));
    await store.put(recent, randomBytes(64));
    // age the first clip past the retention (the store stamps clips with the service's clock)
    await h.service.runtime.dataSource.query(
      `UPDATE audio_clips SET created_at = created_at - interval '31 days' WHERE key = $1`,
      [old],
    );
    const now = new Date((await h.service.runtime.dataSource.query(`SELECT now() AS t`))[0].t as Date);
    const deleted = await h.service.parts.voice.purge(new Date(now.getTime() + DAY));
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await store.has(old)).toBe(false);
    expect(await store.has(recent)).toBe(true);
  });

  it("deletes the clips it is given (an erased client's), the others stay", async () => {
    const { store } = h.service.parts.voice;
    const [his, another] = [key(), key()];
    await store.put(his, randomBytes(64));
    await store.put(another, randomBytes(64));
    expect(await store.delete([his, key()])).toBe(1);
    expect(await store.has(his)).toBe(false);
    expect(await store.has(another)).toBe(true);
    expect(await store.delete([])).toBe(0);
    await expect(store.delete(['../etc/passwd'])).rejects.toThrow(/64 hexadecimal/);
  });
});
