// The web front ends' static serving: pages and bundles from the build folder, the security
// headers on every answer, a clear 503 before the first build, and a new build picked up.
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadWebApps, securityHeaders } from './web';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function call(
  apps: ReturnType<typeof loadWebApps>,
  path: string,
  method = 'GET',
): { handled: boolean; answer: Answer } {
  const answer: Answer = { status: 0, headers: {}, body: '' };
  const req = { method, headers: { host: '127.0.0.1:4000' } } as unknown as IncomingMessage;
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      answer.status = status;
      answer.headers = headers;
      return this;
    },
    end(body?: Buffer | string) {
      answer.body = body ? body.toString() : '';
    },
  } as unknown as ServerResponse;
  return { handled: apps.serve(req, res, path), answer };
}

let dir: string;
const write = (path: string, content: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), content);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('securityHeaders', () => {
  it('allows scripts, styles and connections from this origin only, with no inline script and no framing', () => {
    const headers = securityHeaders('crm.example:8443');
    const csp = headers['content-security-policy']!;
    const directive = (name: string) =>
      csp
        .split('; ')
        .find((d) => d.startsWith(`${name} `))
        ?.slice(name.length + 1);
    expect(directive('default-src')).toBe("'none'");
    expect(directive('script-src')).toBe("'self'");
    expect(directive('style-src')).toBe("'self'");
    expect(directive('connect-src')).toBe("'self' ws://crm.example:8443 wss://crm.example:8443");
    expect(directive('frame-ancestors')).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
  });

  it('never writes a Host header that is not a host name into the policy', () => {
    const csp = securityHeaders("evil.example; script-src 'unsafe-inline'")['content-security-policy']!;
    expect(csp).not.toContain('evil');
    expect(csp).toContain("connect-src 'self';");
  });
});

describe('loadWebApps', () => {
  it('serves both pages, with or without the trailing slash, and the hashed bundles as immutable', () => {
    write('console/index.html', '<title>console</title>');
    write('chat/index.html', '<title>chat</title>');
    write('assets/console-abc123.js', 'console.log(1)');
    const apps = loadWebApps(dir);
    expect(apps.available).toBe(true);

    for (const [path, body] of [
      ['/console', 'console'],
      ['/console/', 'console'],
      ['/chat', 'chat'],
      ['/chat/', 'chat'],
    ]) {
      const { handled, answer } = call(apps, path!);
      expect(handled).toBe(true);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(`<title>${body}</title>`);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const asset = call(apps, '/assets/console-abc123.js').answer;
    expect(asset).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers /favicon.ico with no content, even before a build (no 404 in a page without an icon)', () => {
    const { handled, answer } = call(loadWebApps(dir), '/favicon.ico');
    expect(handled).toBe(true);
    expect(answer.status).toBe(204);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('leaves other paths to the gateway, answers a missing asset 404 and a POST 405', () => {
    write('console/index.html', 'x');
    const apps = loadWebApps(dir);
    expect(call(apps, '/graphql').handled).toBe(false);
    expect(call(apps, '/consoles').handled).toBe(false);
    expect(call(apps, '/assets/../../etc/passwd').answer.status).toBe(404);
    expect(call(apps, '/assets/nope.js').answer.status).toBe(404);
    const post = call(apps, '/chat', 'POST').answer;
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('says how to build when there is no build yet, and picks up a new build on reload when watching', () => {
    const apps = loadWebApps(dir, { watch: true });
    expect(apps.available).toBe(false);
    const missing = call(apps, '/console').answer;
    expect(missing.status).toBe(503);
    expect(missing.body).toContain('npm run web:build');

    write('console/index.html', 'first');
    expect(call(apps, '/console').answer.body).toBe('first');
    write('console/index.html', 'second');
    // a later build: a newer modification time
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'console/index.html'), later, later);
    expect(call(apps, '/console').answer.body).toBe('second');
  });

  it('keeps serving what it read when not watching (production)', () => {
    write('console/index.html', 'first');
    const apps = loadWebApps(dir);
    write('console/index.html', 'second');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'console/index.html'), later, later);
    expect(call(apps, '/console').answer.body).toBe('first');
  });
});
