// The audio store on the file system (the default; AUDIO_DIR): one file per key, written under
// a temporary name then renamed, so a reader (the gateway) never sees half a file.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AudioStore } from './voice.ports';

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
}
