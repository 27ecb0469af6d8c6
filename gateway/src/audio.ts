// The bot's voice, served at /audio/<key>.mp3 from the audio store the conversation service
// writes (AUDIO_DIR, docs/voice.md). The key is the SHA-256 of the voice and the sentence: the
// file never changes (cached for a year) and its URL cannot be guessed without the words.
// Read-only, GET and HEAD, with the same security headers as the web pages.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { securityHeaders } from './web';

export const AUDIO_PATH = '/audio/';
const FILE = /^\/audio\/([a-f0-9]{64})\.mp3$/;

export function isAudioPath(pathname: string): boolean {
  return pathname.startsWith(AUDIO_PATH);
}

export function audioServer(dir: string) {
  const root = resolve(dir);
  return async function serveAudio(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    const headers = securityHeaders(req.headers.host);
    const text = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...headers, ...extra, 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'use GET\n', { allow: 'GET, HEAD' });
    const key = FILE.exec(pathname)?.[1];
    if (!key) return text(404, 'not found\n');
    let body: Buffer;
    try {
      body = await readFile(join(root, `${key}.mp3`));
    } catch {
      return text(404, 'not found\n');
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'audio/mpeg',
      'content-length': String(body.length),
      'accept-ranges': 'none',
      // private: the words may name the client; immutable: a key is one content forever
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${key}"`,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
