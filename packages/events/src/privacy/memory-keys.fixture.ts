// For the package's unit tests: a double of a service's vault and of the other services' key
// release, one AES-GCM key per subject with the subject and field bound as additional data, as
// @crm/privacy does (its own specs test the real one).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventError } from '../errors';
import { ERASED_EVENT, type EventKeys } from './sealing';

/** `producer`: the one service whose keys it holds (another's sealed events stay unavailable) */
export function memoryKeys(producer = 'identity') {
  const keys = new Map<string, Buffer>();
  const writers: string[] = [];
  const cipher = (key: Buffer, subject: string) => ({
    encrypt(field: string, value: string) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(`${subject}\u0000${field}`));
      const body = Buffer.concat([c.update(value, 'utf8'), c.final()]);
      return `pd1:${Buffer.concat([iv, body, c.getAuthTag()]).toString('base64url')}`;
    },
    decrypt(field: string, text: string) {
      const raw = Buffer.from(text.slice(4), 'base64url');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAAD(Buffer.from(`${subject}\u0000${field}`));
      d.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
    },
  });
  const eventKeys: EventKeys = {
    writer: (subject) => {
      writers.push(subject);
      if (!keys.has(subject)) keys.set(subject, randomBytes(32));
      return Promise.resolve(cipher(keys.get(subject)!, subject));
    },
    reader: (source, subject) => {
      const key = keys.get(subject);
      if (source !== producer)
        return Promise.reject(new EventError('EVENT.KEY_UNAVAILABLE', `no key source ${source}`));
      return Promise.resolve(key ? cipher(key, subject) : ERASED_EVENT);
    },
  };
  return { eventKeys, keys, writers };
}
