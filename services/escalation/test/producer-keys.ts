// Another service's key release, for the tests of a consumer of its sealed events (docs/privacy.md,
// Events): it seals events as their producer's outbox does, under data keys of its own, and
// answers POST /privacy/keys as the producer would (the real KeyReleaseServer, the development
// secret the service under test also runs with), `erased` once a test shredded a subject's key.
// The service under test finds it through SERVICE_URLS.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readsPersonalEventsOf, sealEvent, type AnyEvent, type EventKeys } from '@crm/events';
import {
  DEV_EVENT_KEYS_SECRET,
  encryptField,
  KEY_BYTES,
  KEY_RELEASE_MAX_BODY_BYTES,
  KEY_RELEASE_PATH,
  KeyReleaseServer,
} from '@crm/privacy';
import type { EntityManager } from 'typeorm';

export interface ProducerKeys {
  /** `<producer>=<url>`, for the consumer's SERVICE_URLS */
  serviceUrl: string;
  /** the event as its producer publishes it: its personal fields sealed under the subject's key */
  seal<E extends AnyEvent>(event: E): Promise<E>;
  /** the subject's key shredded (its person erased): released no more, answered `erased` */
  shred(subject: string): void;
  close(): Promise<void>;
}

export async function startProducerKeys(producer: string): Promise<ProducerKeys> {
  const keys = new Map<string, Buffer>();
  const shredded = new Set<string>();
  const release = new KeyReleaseServer({
    service: producer,
    secret: DEV_EVENT_KEYS_SECRET,
    keysOf: (subjects) =>
      Promise.resolve(new Map(subjects.flatMap((s) => (keys.has(s) ? [[s, keys.get(s)!] as const] : [])))),
    // as the producer decides: the services SUBSCRIPTION_CATALOG says read its sealed events
    allowed: (consumer) => readsPersonalEventsOf(consumer, producer),
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= KEY_RELEASE_MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const body = size <= KEY_RELEASE_MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined;
      const answered =
        req.url === KEY_RELEASE_PATH
          ? release.answer({ method: req.method ?? '', authorization: req.headers.authorization, body })
          : Promise.resolve({ status: 404, body: { error: 'not found' } });
      void answered.then(({ status, body: answer }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const eventKeys: EventKeys = {
    writer: (subject) => {
      if (shredded.has(subject)) throw new Error(`${subject}'s key is shredded: nothing is sealed under it`);
      if (!keys.has(subject)) keys.set(subject, randomBytes(KEY_BYTES));
      const key = keys.get(subject)!;
      return Promise.resolve({ encrypt: (field, value) => encryptField(key, subject, field, value) });
    },
    // the producer seals; the service under test opens, through the release above
    reader: () => Promise.reject(new Error('the producer does not read its own events here')),
  };
  return {
    serviceUrl: `${producer}=http://127.0.0.1:${port}`,
    // the outbox's manager only reaches the writer, which needs none here
    seal: async (event) => (await sealEvent(event, eventKeys, {} as EntityManager)) as typeof event,
    shred: (subject) => {
      keys.delete(subject);
      shredded.add(subject);
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
