// The keys behind sealed events (docs/privacy.md, Events), as every service wires them: its own
// vault seals what it publishes and opens what it reads of its own events; another service's
// events are opened with the key that service releases (KeyReleaseClient); and the service
// releases its own keys to the services that read its events (KeyReleaseServer).
import { EventError, readsPersonalEventsOf, type EventKeys } from '@crm/events';
import {
  decryptField,
  KeyReleaseClient,
  KeyReleaseError,
  KeyReleaseServer,
  type PersonalDataVault,
} from '@crm/privacy';
import { Counter, type Registry } from 'prom-client';

/** "identity=http://identity:4001,claims=http://claims:4002": where each service answers. */
export function parseServiceUrls(text: string): ReadonlyMap<string, string> {
  const urls = new Map<string, string>();
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    const url = entry.slice(at + 1);
    if (at <= 0 || !/^[a-z][a-z0-9-]*$/.test(name) || !/^https?:\/\/[^\s]+$/.test(url))
      throw new Error(`"${entry}" is not name=http(s)://host:port`);
    urls.set(name, url);
  }
  return urls;
}

export interface EventKeysSettings {
  service: string;
  /** the service's own vault (services holding no personal data have none) */
  vault: PersonalDataVault | undefined;
  secret: string;
  /** another service's base URL */
  urlOf(service: string): string | undefined;
  cacheSize: number;
  cacheTtlMs: number;
  clock: () => Date;
}

const unavailable = (message: string) => new EventError('EVENT.KEY_UNAVAILABLE', message);

export function eventKeysOf(settings: EventKeysSettings): EventKeys {
  const { service, vault } = settings;
  const client = new KeyReleaseClient({
    service,
    secret: settings.secret,
    urlOf: (producer) => settings.urlOf(producer),
    cacheSize: settings.cacheSize,
    cacheTtlMs: settings.cacheTtlMs,
    clock: settings.clock,
  });
  const readerOf = (key: Buffer, subject: string) => ({
    decrypt: (field: string, text: string) => decryptField(key, subject, field, text),
  });
  return {
    async writer(subject, manager) {
      if (!vault) throw new Error(`${service} holds no vault: it cannot publish events with personal fields`);
      return vault.writer(subject, manager);
    },
    async reader(source, subject) {
      if (source === service) {
        if (!vault) throw unavailable(`${service} holds no vault to open its own sealed events`);
        const key = (await vault.liveKeys([subject])).get(subject);
        return key ? readerOf(key, subject) : 'erased';
      }
      try {
        const key = await client.key(source, subject);
        return key === 'erased' ? key : readerOf(key, subject);
      } catch (err) {
        if (err instanceof KeyReleaseError) throw unavailable(err.message);
        throw err;
      }
    },
  };
}

/** This service's key release, for the services that read its events with personal fields. */
export function keyReleaseOf(
  service: string,
  vault: PersonalDataVault,
  secret: string,
  registry: Registry,
  clock: () => Date,
): KeyReleaseServer {
  const answers = new Counter({
    name: 'crm_privacy_key_release_total',
    help: 'key release requests answered, by asking service and outcome; keys: how many were released',
    labelNames: ['consumer', 'outcome'],
    registers: [registry],
  });
  const released = new Counter({
    name: 'crm_privacy_keys_released_total',
    help: 'data keys released to the services reading this service’s sealed events',
    labelNames: ['consumer'],
    registers: [registry],
  });
  return new KeyReleaseServer({
    service,
    secret,
    clock,
    keysOf: (subjects) => vault.liveKeys(subjects),
    allowed: (consumer) => consumer !== service && readsPersonalEventsOf(consumer, service),
    onRelease: (consumer, outcome, keys) => {
      answers.inc({ consumer, outcome });
      if (keys) released.inc({ consumer }, keys);
    },
  });
}
