// The bot's voice, served at /audio/<key>.mp3 from the conversation service's audio store
// (docs/voice.md), which alone holds the keys its clips are sealed under (docs/privacy.md): the
// gateway never reads the store itself. The key is the SHA-256 of the voice and the sentence:
// the clip never changes (cached for a year) and its URL cannot be guessed without the words.
// Read-only, GET and HEAD, with the same security headers as the web pages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { INTERNAL_TOKEN_HEADER, routeDigest, type InternalTokenSigner } from '@crm/auth';
import { securityHeaders } from './web';
import { SYSTEM_PRINCIPAL } from './subgraph-calls';

export const AUDIO_PATH = '/audio/';
const FILE = /^\/audio\/([a-f0-9]{64})\.mp3$/;

export function isAudioPath(pathname: string): boolean {
  return pathname.startsWith(AUDIO_PATH);
}

/** What a source answers for a key: the clip (whole, or a stream with its length), or why not. */
type Clip = { body: Buffer } | { stream: Readable | null; length: string | null } | 'missing' | 'unavailable';

/** One way of serving: method and key checked, the public headers, the clip written or HEAD. */
function audioHandler(load: (key: string, method: string) => Promise<Clip>) {
  return async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const headers = securityHeaders(req.headers.host);
    const text = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...headers, ...extra, 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'use GET\n', { allow: 'GET, HEAD' });
    const key = FILE.exec(pathname)?.[1];
    if (!key) return text(404, 'not found\n');
    const clip = await load(key, req.method);
    if (clip === 'missing') return text(404, 'not found\n');
    if (clip === 'unavailable') return text(502, 'audio unavailable\n');
    const length = 'body' in clip ? String(clip.body.length) : clip.length;
    res.writeHead(200, {
      ...headers,
      'content-type': 'audio/mpeg',
      ...(length ? { 'content-length': length } : {}),
      'accept-ranges': 'none',
      // private: the words may name the client; immutable: a key is one content forever
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${key}"`,
    });
    if (req.method === 'HEAD') return void res.end();
    if ('body' in clip) return void res.end(clip.body);
    if (!clip.stream) return void res.end();
    await pipeline(clip.stream, res);
  };
}

/**
 * The audio is in the conversation service's store (its database in Compose and Kubernetes, its
 * AUDIO_DIR folder for npm start), asked for at GET /audio/<key>.mp3 on its port with
 * an internal token bound to the path, and streamed on with the public headers above.
 */
export function audioProxy(conversationGraphqlUrl: string, tokens: InternalTokenSigner) {
  return audioHandler(async (key, method) => {
    const path = `${AUDIO_PATH}${key}.mp3`;
    const token = await tokens.mint(SYSTEM_PRINCIPAL, 'conversation', { request: routeDigest(path) });
    let upstream: Response;
    try {
      upstream = await fetch(new URL(path, conversationGraphqlUrl), {
        method,
        headers: { [INTERNAL_TOKEN_HEADER]: token },
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      return 'unavailable';
    }
    if (upstream.status === 404) return 'missing';
    if (upstream.status !== 200) return 'unavailable';
    return {
      length: upstream.headers.get('content-length'),
      stream: upstream.body ? Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>) : null,
    };
  });
}
