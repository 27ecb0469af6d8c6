// GET/HEAD /audio/<key>.mp3 on the conversation service's HTTP port: the store's bytes, for the
// gateway only (an internal token bound to the path, checked by the subgraph server before this
// runs). The gateway adds the public headers (security, cache) when it passes them on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '@crm/subgraph';
import type { AudioStore } from './voice.ports';

const FILE = /^\/audio\/([a-f0-9]{64})\.mp3$/;

export function audioRoute(store: AudioStore): HttpRoute {
  return {
    prefix: '/audio/',
    async handle(req: IncomingMessage, res: ServerResponse, url: URL) {
      const text = (status: number, body: string, extra: Record<string, string> = {}) => {
        res.writeHead(status, { ...extra, 'content-type': 'text/plain; charset=utf-8' });
        res.end(body);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return text(405, 'use GET\n', { allow: 'GET, HEAD' });
      const key = FILE.exec(url.pathname)?.[1];
      if (!key) return text(404, 'not found\n');
      const body = await store.get(key);
      if (!body) return text(404, 'not found\n');
      res.writeHead(200, {
        'content-type': 'audio/mpeg',
        'content-length': String(body.length),
        'cache-control': 'private, max-age=31536000, immutable',
        etag: `"${key}"`,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
