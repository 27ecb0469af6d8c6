// Personal data in events (issue 18, docs/privacy.md, Events): the fields a data schema marks
// `x-personal` travel sealed, under the data key of the person (or conversation, claim...) that
// the producing service keeps for its own rows. Kafka history, dead letters and outbox rows then
// hold ciphertext only, and the producer's erasure (a shredded key) makes every copy unreadable.
// The consumer asks the producer for the key (its key release, @crm/privacy) and opens the event
// before its handler runs; an event whose key was shredded reaches no handler.
import type { EntityManager } from 'typeorm';
import { type AnyEvent } from '../envelope';
import { EventError } from '../errors';
import { PERSONAL_DATA, type PersonalDataSpec } from '../generated/schemas.generated';

/** Encrypts fields under one subject's data key. */
export interface EventFieldWriter {
  encrypt(field: string, value: string): string;
}

/** Decrypts fields sealed under one subject's data key (throws when a text does not authenticate). */
export interface EventFieldReader {
  decrypt(field: string, text: string): string;
}

/**
 * The keys behind sealed events: a port, which @crm/subgraph wires to the service's own vault
 * (for writing, and for reading its own events) and to the other services' key release.
 */
export interface EventKeys {
  /** the subject's live key, read (or made) in the publishing transaction */
  writer(subject: string, manager: EntityManager): Promise<EventFieldWriter>;
  /**
   * the key `source` sealed `subject`'s fields under; 'erased' when that key was shredded (or
   * never existed). Throws EventError EVENT.KEY_UNAVAILABLE when the source cannot be asked.
   */
  reader(source: string, subject: string): Promise<EventFieldReader | 'erased'>;
}

/**
 * The additional data the sealed part of an event is bound to: its type and its id (a sealed
 * part copied onto another event, of this person or another, does not decrypt).
 */
export const sealedPartName = (event: { type: string; id: string }): string =>
  `event.${event.type}.${event.id}`;

/** The personal fields of an event's (type, version), when its schema declares some. */
export const personalDataOf = (event: { type: string; version: number }): PersonalDataSpec | undefined =>
  PERSONAL_DATA[`${event.type}.v${event.version}`];

type Json = Record<string, unknown>;

function valueAt(data: Json, path: string): unknown {
  let node: unknown = data;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Json)[part];
  }
  return node;
}

/** The id whose key seals the event: the first of the spec's subject paths the data holds. */
function subjectOf(event: AnyEvent, spec: PersonalDataSpec): string {
  for (const path of spec.subject) {
    const value = valueAt(event.data as unknown as Json, path);
    if (typeof value === 'string' && value.length > 0) return value;
  }
  throw new Error(`${event.type} ${event.id}: none of ${spec.subject.join(', ')} holds the key's subject`);
}

/** Removes a path that valueAt found (its parents exist: they were cloned with the data). */
function deleteAt(data: Json, path: string): void {
  const parts = path.split('.');
  let node = data;
  for (const part of parts.slice(0, -1)) node = node[part] as Json;
  delete node[parts[parts.length - 1]!];
}

/**
 * The event as it travels: its personal fields present (null included) taken out of the data and
 * sealed together, as one JSON object, under the subject's key (one cipher per event: sealing
 * field by field cost about three times as much for a client record, bench:event-keys); `sealed` names
 * the subject and the fields and carries the ciphertext. An event whose personal fields are all
 * absent or null is returned as it is.
 */
export async function sealEvent(event: AnyEvent, keys: EventKeys, manager: EntityManager): Promise<AnyEvent> {
  const spec = personalDataOf(event);
  if (!spec) return event;
  if ('sealed' in event && event.sealed) throw new Error(`${event.type} ${event.id} is sealed already`);
  const subject = subjectOf(event, spec);
  const data = structuredClone(event.data) as unknown as Json;
  // nothing to hide (every personal field absent or null): the event goes as it is, its nulls
  // where its schema wants them, and no key is asked for (an erased person's claim still moves)
  const fields = spec.fields.filter((path) => valueAt(data, path) !== undefined);
  if (!fields.some((path) => valueAt(data, path) !== null)) return event;
  // otherwise a null travels sealed with the rest: the wire schema has no place for the field
  const part = Object.fromEntries(fields.map((path) => [path, valueAt(data, path)]));
  for (const path of fields) deleteAt(data, path);
  const writer = await keys.writer(subject, manager);
  const sealed = { subject, fields, data: writer.encrypt(sealedPartName(event), JSON.stringify(part)) };
  return { ...event, data, sealed } as unknown as AnyEvent;
}

/** An event whose key was shredded: nobody can read its personal fields any more. */
export const ERASED_EVENT = 'erased' as const;

/**
 * The event as its handler reads it: its sealed fields decrypted and put back, `sealed` removed;
 * ERASED_EVENT when the subject's key is gone. EVENT.SEALED_INVALID (not retriable) when a
 * personal field is left in clear beside the sealed part, the part names a field its schema does
 * not mark personal, or it does not decrypt (changed, or copied from another event or person).
 */
export async function openEvent(event: AnyEvent, keys: EventKeys): Promise<AnyEvent | typeof ERASED_EVENT> {
  if (!('sealed' in event) || !event.sealed) return event;
  const { sealed, ...rest } = event;
  const spec = personalDataOf(event);
  const invalid = (why: string) =>
    new EventError('EVENT.SEALED_INVALID', `${event.type} ${event.id}: ${why}`, { retriable: false });
  if (!spec) throw invalid('its schema declares no personal field, yet it says it is sealed');
  const data = structuredClone(event.data) as unknown as Json;
  for (const path of spec.fields)
    if (valueAt(data, path) !== undefined) throw invalid(`${path} is in clear beside the sealed part`);
  for (const path of sealed.fields)
    if (!spec.fields.includes(path)) throw invalid(`${path} is not a personal field of its schema`);
  const reader = await keys.reader(event.source, sealed.subject);
  if (reader === ERASED_EVENT) return ERASED_EVENT;
  let part: Json;
  try {
    part = JSON.parse(reader.decrypt(sealedPartName(event), sealed.data)) as Json;
  } catch {
    throw invalid('its sealed part does not decrypt under the key of its subject');
  }
  for (const path of sealed.fields) {
    if (!(path in part)) throw invalid(`${path} is listed but not in the sealed part`);
    const parent = path.split('.').slice(0, -1);
    let node: unknown = data;
    for (const key of parent) node = (node as Json | undefined)?.[key];
    if (!node || typeof node !== 'object') throw invalid(`${path} has no place in the data`);
    (node as Json)[path.split('.').at(-1)!] = part[path];
  }
  return { ...rest, data } as unknown as AnyEvent;
}

/**
 * A sealed event whose key is gone, without its personal fields (removed from the data) and
 * without `sealed`: for a projection that keeps business facts only (a claim's existence, its
 * status), which an erasure leaves to the insurer. Its handler must not read personal fields.
 */
export function stripEvent(event: AnyEvent): AnyEvent {
  if (!('sealed' in event) || !event.sealed) return event;
  // the personal fields travel in the sealed part only: without it, they are simply absent
  const { sealed: _sealed, ...rest } = event;
  return rest;
}
