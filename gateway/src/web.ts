// The two web front ends, served on the gateway's own origin from the Vite build (web/dist):
// /console (advisors and supervisors) and /chat (policyholders). Static files only, read once
// and kept in memory (about 250 kB). Every answer carries strict security headers: a CSP with
// no inline script, no eval and no other origin (the pages speak only to this gateway, over
// HTTP and graphql-ws), no framing, no referrer, no MIME sniffing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** the pages, by path (with or without the trailing slash) */
const PAGES: Record<string, string> = {
  '/console': 'console/index.html',
  '/console/': 'console/index.html',
  '/chat': 'chat/index.html',
  '/chat/': 'chat/index.html',
};

/** The security headers of every answer: what the pages may load and where they may connect. */
export function securityHeaders(host: string | undefined): Record<string, string> {
  // the socket is on this origin too; browsers differ on whether 'self' covers ws:, so name it
  // (the Host header only when it looks like a host name: it is the caller's to write)
  const safeHost = host && /^[A-Za-z0-9.[\]:-]{1,255}$/.test(host) ? host : undefined;
  const sockets = safeHost ? ` ws://${safeHost} wss://${safeHost}` : '';
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src 'self'${sockets}`,
      "media-src 'self' blob:",
      "manifest-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), geolocation=(), payment=(), usb=(), microphone=(self)',
  };
}

export interface WebApps {
  /** true when the build was found (web/dist); the gateway still starts without it */
  readonly available: boolean;
  /** Serves a page or an asset; false when the path is not one of them. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

/**
 * The front ends from `dir` (web/dist), read into memory. With `watch` (development), a page
 * request after a new build (`npm run web:build` rewrites the pages) reads them again, so a
 * running `npm start` serves the new build on reload.
 */
export function loadWebApps(dir: string, options: { watch?: boolean } = {}): WebApps {
  const root = resolve(dir);
  const marker = join(root, 'console', 'index.html');
  let files = new Map<string, Buffer>();
  let builtAt = -1;
  const load = (): void => {
    const stamp = existsSync(marker) ? statSync(marker).mtimeMs : 0;
    if (stamp === builtAt) return;
    const next = new Map<string, Buffer>();
    const walk = (folder: string): void => {
      for (const name of readdirSync(folder)) {
        const path = join(folder, name);
        if (statSync(path).isDirectory()) walk(path);
        else
          next.set(
            path
              .slice(root.length + 1)
              .split(sep)
              .join('/'),
            readFileSync(path),
          );
      }
    };
    if (stamp) walk(root);
    files = next;
    builtAt = stamp;
  };
  load();
  return {
    get available() {
      return files.size > 0;
    },
    serve(req, res, pathname) {
      if (pathname === '/favicon.ico') {
        // asked by browsers on pages without an icon (the explorer, the REST reference): no
        // content rather than a 404 in their console (the two apps name their own icon)
        res.writeHead(204, {
          ...securityHeaders(req.headers.host),
          'cache-control': 'public, max-age=86400',
        });
        res.end();
        return true;
      }
      const page = PAGES[pathname];
      if (page && options.watch) load();
      const asset = pathname.startsWith('/assets/') ? pathname.slice(1) : undefined;
      const name = page ?? asset;
      if (!name) return false;
      const headers = securityHeaders(req.headers.host);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        res.end('use GET');
        return true;
      }
      const body = files.get(name);
      if (!body) {
        if (page) {
          // the build is missing: say how to make it rather than a bare 404
          res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
          res.end('The web front ends are not built: run `npm run web:build`.\n');
        } else {
          res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
          res.end('not found\n');
        }
        return true;
      }
      res.writeHead(200, {
        ...headers,
        'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
        'content-length': String(body.length),
        // pages always fresh; bundles carry their content hash in their name
        'cache-control': page ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    },
  };
}
