// The audio store on the file system (the default; AUDIO_DIR): one file per key, written under
// a temporary name then renamed, so a reader (the gateway) never sees half a file.
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import type { AudioStore, PurgeableAudioStore } from './voice.ports';

const KEY = /^[a-f0-9]{64}$/;

export class FileAudioStore implements AudioStore {
  private ready: Promise<unknown> | undefined;

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error('audio key must be 64 hexadecimal characters');
    return join(this.dir, `${key}.mp3`);
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).size > 0;
    } catch {
      return false;
    }
  }

  async put(key: string, mp3: Buffer): Promise<void> {
    const path = this.pathOf(key);
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const temporary = join(this.dir, `.${key}.${randomUUID()}.tmp`);
    await writeFile(temporary, mp3);
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch {
      return null;
    }
  }

  async delete(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) {
      try {
        await unlink(this.pathOf(key));
        deleted += 1;
      } catch (err) {
        // already gone is what was asked
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return deleted;
  }
}

/**
 * The audio store in the service's own PostgreSQL (AUDIO_STORE=postgres: Compose, Kubernetes,
 * several replicas): table audio_clips, one row per key, written once (a second write of the
 * same key is a no-op: the key is the content's hash). The gateway reads it through
 * GET /audio/<key>.mp3 on this service (audio-route.ts), never from the database.
 */
export class PostgresAudioStore implements PurgeableAudioStore {
  constructor(
    private readonly db: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private check(key: string): void {
    if (!KEY.test(key)) throw new Error('audio key must be 64 hexadecimal characters');
  }

  async has(key: string): Promise<boolean> {
    this.check(key);
    const rows = await this.db.query<unknown[]>(`SELECT 1 FROM audio_clips WHERE key = $1`, [key]);
    return rows.length > 0;
  }

  async put(key: string, mp3: Buffer): Promise<void> {
    this.check(key);
    await this.db.query(
      `INSERT INTO audio_clips (key, mime, bytes, created_at) VALUES ($1, 'audio/mpeg', $2, $3)
       ON CONFLICT (key) DO NOTHING`,
      [key, mp3, this.clock()],
    );
  }

  async get(key: string): Promise<Buffer | null> {
    this.check(key);
    const rows = await this.db.query<{ bytes: Buffer }[]>(`SELECT bytes FROM audio_clips WHERE key = $1`, [
      key,
    ]);
    return rows[0]?.bytes ?? null;
  }

  async delete(keys: readonly string[]): Promise<number> {
    for (const key of keys) this.check(key);
    if (!keys.length) return 0;
    const result = await this.db.query<[unknown, number]>(
      `DELETE FROM audio_clips WHERE key = ANY($1::text[])`,
      [keys],
    );
    return result[1] ?? 0;
  }

  /** deletes the audio written before `before`; returns each clip's first `headBytes` bytes */
  async purgeReturningHeads(before: Date, headBytes: number): Promise<Buffer[]> {
    const rows = await this.db.query<{ head: Buffer }[]>(
      `WITH gone AS (DELETE FROM audio_clips WHERE created_at < $1 RETURNING bytes)
       SELECT substring(bytes FROM 1 FOR $2) AS head FROM gone`,
      [before, headBytes],
    );
    return rows.map((r) => r.head);
  }
}
