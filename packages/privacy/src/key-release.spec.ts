import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEY_RELEASE_PATH, KeyReleaseClient, KeyReleaseServer, eventKeysSecretOf } from './key-release';

const SECRET = 'a key release secret of at least 32 characters';
const CLAIM = '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f';
const ERASED = '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f';

describe('key release', () => {
  const live = new Map([[CLAIM, randomBytes(32)]]);
  const answers: { consumer: string; outcome: string; keys: number }[] = [];
  let server: Server;
  let base: string;
  let lastBody = '';

  beforeAll(async () => {
    const release = new KeyReleaseServer({
      service: 'claims',
      secret: SECRET,
      keysOf: (subjects) =>
        Promise.resolve(new Map(subjects.flatMap((s) => (live.has(s) ? [[s, live.get(s)!]] : [])))),
      allowed: (consumer) => consumer === 'conversation',
      onRelease: (consumer, outcome, keys) => answers.push({ consumer, outcome, keys }),
    });
    server = createServer((req, res) => {
      // keep what the wire carries, to check the key is not in it in clear
      const end = res.end.bind(res);
      res.end = ((chunk: unknown) => {
        lastBody = String(chunk);
        return end(chunk as string);
      }) as typeof res.end;
      // as the subgraph server serves it: the body read, the answer written
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const out = await release.answer({
          method: req.method ?? 'GET',
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out.body));
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const client = (over: Partial<ConstructorParameters<typeof KeyReleaseClient>[0]> = {}) =>
    new KeyReleaseClient({
      service: 'conversation',
      secret: SECRET,
      urlOf: (s) => (s === 'claims' ? base : undefined),
      ...over,
    });

  it('releases the live key to a service that reads the producer events, wrapped on the wire', async () => {
    const key = await client().key('claims', CLAIM);
    expect(key).toEqual(live.get(CLAIM));
    expect(lastBody).not.toContain(live.get(CLAIM)!.toString('base64url'));
    expect(lastBody).not.toContain(live.get(CLAIM)!.toString('base64'));
    expect(answers.at(-1)).toEqual({ consumer: 'conversation', outcome: 'released', keys: 1 });
  });

  it('answers erased for a shredded or unknown subject', async () => {
    expect(await client().key('claims', ERASED)).toBe('erased');
  });

  it('asks once while the key is cached, again after its time', async () => {
    // the producer checks token dates against the machine's clock: this client's runs beside it
    let offset = 0;
    const c = client({ cacheTtlMs: 1000, clock: () => new Date(Date.now() + offset) });
    const before = answers.length;
    await c.key('claims', CLAIM);
    await c.key('claims', CLAIM);
    expect(answers.length - before).toBe(1);
    offset = 1001;
    await c.key('claims', CLAIM);
    expect(answers.length - before).toBe(2);
  });

  it('refuses a token dated in the future, however long it says it lives', async () => {
    const late = client({ clock: () => new Date(Date.now() + 3600_000) });
    await expect(late.key('claims', CLAIM)).rejects.toMatchObject({ code: 'PRIVACY.KEY_RELEASE_REFUSED' });
  });

  it('refuses a service that reads none of its sealed events, and a wrong secret', async () => {
    await expect(client({ service: 'reimbursement' }).key('claims', CLAIM)).rejects.toMatchObject({
      code: 'PRIVACY.KEY_RELEASE_REFUSED',
    });
    expect(answers.at(-1)).toEqual({ consumer: 'reimbursement', outcome: 'refused', keys: 0 });
    await expect(
      client({ secret: 'another secret, also of at least 32 characters' }).key('claims', CLAIM),
    ).rejects.toMatchObject({ code: 'PRIVACY.KEY_RELEASE_REFUSED' });
  });

  it('refuses a request without a token, or whose token was made for another body', async () => {
    const plain = await fetch(`${base}${KEY_RELEASE_PATH}`, {
      method: 'POST',
      body: JSON.stringify({ subjects: [CLAIM] }),
    });
    expect(plain.status).toBe(401);
    expect(await plain.json()).toMatchObject({ code: 'PRIVACY.KEY_RELEASE_UNAUTHENTICATED' });

    // a token captured for one subject, replayed with another body
    let captured = '';
    const spy = new KeyReleaseClient({
      service: 'conversation',
      secret: SECRET,
      urlOf: () => base,
    });
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      captured = String((init?.headers as Record<string, string>).authorization);
      return realFetch(input, init);
    };
    try {
      await spy.key('claims', ERASED);
    } finally {
      globalThis.fetch = realFetch;
    }
    const replayed = await fetch(`${base}${KEY_RELEASE_PATH}`, {
      method: 'POST',
      headers: { authorization: captured },
      body: JSON.stringify({ subjects: [CLAIM] }),
    });
    expect(replayed.status).toBe(401);
  });

  it('is unavailable, not erased, when the producer is unknown or does not answer', async () => {
    await expect(client().key('identity', CLAIM)).rejects.toMatchObject({
      code: 'PRIVACY.KEY_RELEASE_UNAVAILABLE',
    });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(
      client({ urlOf: () => `http://127.0.0.1:${port}` }).key('claims', CLAIM),
    ).rejects.toMatchObject({ code: 'PRIVACY.KEY_RELEASE_UNAVAILABLE' });
  });

  it('needs a secret in production, uses the development one elsewhere', () => {
    expect(() => eventKeysSecretOf({ NODE_ENV: 'production' })).toThrow(/PRIVACY_EVENT_KEYS_SECRET/);
    expect(eventKeysSecretOf({ NODE_ENV: 'test' })).toContain('dev-only');
    expect(eventKeysSecretOf({ NODE_ENV: 'production', PRIVACY_EVENT_KEYS_SECRET: SECRET })).toBe(SECRET);
  });
});
