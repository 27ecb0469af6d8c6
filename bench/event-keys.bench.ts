// npm run bench:event-keys: what sealed events cost (issue 18, docs/privacy.md, Events), each
// figure beside its baseline in the same run:
// - publishing: the outbox's validation and JSON of a ClientRegistered, with and without sealing
//   its ten personal fields under the client's (cached) key;
// - reading: decoding and validating it from the wire, with and without opening it;
// - a key asked of the producer over loopback HTTP (a fresh consumer each time, so nothing is
//   cached: the token, the request, the producer's vault, the wrap), beside a bare HTTP round
//   trip on the same server, and the same key once cached.
// Prints microseconds per call, three rounds.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager } from 'typeorm';
import { decodeEvent, newEvent, openEvent, sealEvent, validateEvent } from '@crm/events';
import {
  devMasterKeyRing,
  KeyReleaseClient,
  LocalKeyWrapper,
  MemoryKeyStore,
  PersonalDataVault,
} from '@crm/privacy';
import { eventKeysOf, keyReleaseOf } from '@crm/subgraph';
import { Registry } from 'prom-client';

const N = Number(process.env.BENCH_EVENT_KEYS ?? 5_000);
const HTTP_N = Math.max(50, Math.floor(N / 10));
const SECRET = 'a key release secret of at least 32 characters';

async function perCall(n: number, run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run();
  return Number(process.hrtime.bigint() - start) / n / 1000;
}

async function main(): Promise<void> {
  const clientId = randomUUID();
  const event = newEvent(
    'ClientRegistered',
    {
      clientId,
      matricule: 'AB-123-CD',
      civility: 'Mme',
      lastName: 'Dupont',
      firstName: 'Marie',
      birthDate: '1980-02-29',
      email: 'marie.dupont@example.fr',
      phone: '+33612345678',
      address: '12 rue des Lilas',
      postalCode: '69003',
      city: 'Lyon',
      status: 'ACTIVE',
      registeredAt: '2026-01-02T03:04:05.000Z',
    },
    { source: 'identity', subject: clientId, actor: { kind: 'advisor', id: 'adv-1' } },
  );
  const clock = () => new Date();
  const vault = new PersonalDataVault({
    store: new MemoryKeyStore(),
    wrapper: new LocalKeyWrapper(devMasterKeyRing()),
  });
  const release = keyReleaseOf('identity', vault, SECRET, new Registry(), clock);
  const server = createServer((req, res) => {
    if (req.url === '/privacy/keys') {
      // as the subgraph server serves it: the body read, the answer written
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void release
          .answer({
            method: 'POST',
            authorization: req.headers.authorization,
            body: Buffer.concat(chunks).toString(),
          })
          .then((out) => {
            res.writeHead(out.status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(out.body));
          });
      });
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"keys":{},"erased":[]}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const producer = eventKeysOf({
    service: 'identity',
    vault,
    secret: SECRET,
    urlOf: () => undefined,
    cacheSize: 10_000,
    cacheTtlMs: 60_000,
    clock,
  });
  const consumer = eventKeysOf({
    service: 'conversation',
    vault: undefined,
    secret: SECRET,
    urlOf: () => base,
    cacheSize: 10_000,
    cacheTtlMs: 60_000,
    clock,
  });
  const manager = {} as EntityManager;
  const sealed = await sealEvent(event, producer, manager);
  const wire = JSON.stringify(sealed);
  const clearWire = JSON.stringify(event);
  await openEvent(sealed, consumer);

  console.log(
    `ClientRegistered: ${clearWire.length} bytes clear, ${wire.length} sealed; ${N} calls per figure (${HTTP_N} over HTTP)`,
  );
  for (const round of [1, 2, 3]) {
    const publishClear = await perCall(N, () => JSON.stringify(validateEvent(event)));
    const publishSealed = await perCall(N, async () =>
      JSON.stringify(await sealEvent(validateEvent(event), producer, manager)),
    );
    const readClear = await perCall(N, () => decodeEvent(clearWire));
    const readSealed = await perCall(N, async () =>
      validateEvent(await openEvent(decodeEvent(wire), consumer)),
    );
    const bare = await perCall(HTTP_N, async () => {
      const res = await fetch(`${base}/bare`, { method: 'POST', body: '{"subjects":["x"]}' });
      await res.text();
    });
    const asked = await perCall(HTTP_N, () =>
      new KeyReleaseClient({ service: 'conversation', secret: SECRET, urlOf: () => base }).key(
        'identity',
        clientId,
      ),
    );
    const cachedClient = new KeyReleaseClient({ service: 'conversation', secret: SECRET, urlOf: () => base });
    await cachedClient.key('identity', clientId);
    const cached = await perCall(N, () => cachedClient.key('identity', clientId));
    console.log(
      `round ${round}: publish ${publishSealed.toFixed(1)} µs sealed vs ${publishClear.toFixed(1)} µs clear; ` +
        `read ${readSealed.toFixed(1)} µs opened vs ${readClear.toFixed(1)} µs clear; ` +
        `key asked ${asked.toFixed(0)} µs vs bare HTTP round trip ${bare.toFixed(0)} µs, cached ${cached.toFixed(2)} µs`,
    );
  }
  server.close();
}

void main();
