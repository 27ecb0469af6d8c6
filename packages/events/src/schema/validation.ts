import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type AnyEvent } from '../envelope';
import { EventError } from '../errors';
import { fromPartnerMessage, tidyPartnerMessage, type PartnerDecodeOptions } from '../partner';
import {
  DATA_SCHEMAS,
  ENVELOPE_SCHEMA,
  PARTNER_INBOUND_SCHEMA,
  PERSONAL_DATA,
  type PartnerInboundMessageV1,
} from '../generated/schemas.generated';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addKeyword({ keyword: 'x-event', schemaType: 'object' });
ajv.addKeyword({ keyword: 'x-personal', schemaType: 'object' });
// A free-form map (a partner's `summary`, the inbound `payload` before its type's schema) has no
// shape to bound its strings and lists: its size as JSON is bounded instead.
ajv.addKeyword({
  keyword: 'x-max-json-bytes',
  type: ['object', 'array'],
  schemaType: 'number',
  error: { message: ({ schema }) => `must be at most ${String(schema)} bytes as JSON` },
  validate: (max: number, data: unknown) => Buffer.byteLength(JSON.stringify(data), 'utf8') <= max,
});

/**
 * The largest partner message read (from Kafka or HTTP), in bytes: every field of the partner
 * schemas is bounded too, so one message cannot store megabytes in a case journal.
 */
export const PARTNER_MESSAGE_MAX_BYTES = 256 * 1024;

// Each schema is compiled on its first use and kept: compiling all of them when the module
// loaded took about half a second of every process's start (and of every test file's), for the
// few types a service reads. compileEventSchemas compiles them all at once: the unit tests call it,
// so a schema ajv refuses fails the tests, not a consumer's first event.
const once = <T>(make: () => T): (() => T) => {
  let made: T | undefined;
  return () => (made ??= make());
};
const envelopeShape = once(() => ajv.compile(ENVELOPE_SCHEMA));
const partnerShape = once(() => ajv.compile<PartnerInboundMessageV1>(PARTNER_INBOUND_SCHEMA));
const dataSchemas = new Map(DATA_SCHEMAS.map((entry) => [`${entry.type}.v${entry.version}`, entry.schema]));

/**
 * The schema of a type's data as it travels sealed: its personal fields are taken out (they are
 * in the envelope's sealed part), so each is dropped from its object's properties and required
 * list (an object closed to other properties then refuses one left in clear; openEvent refuses it
 * in any case).
 */
function sealedSchemaOf(schema: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(schema);
  delete copy.$id;
  for (const path of fields) {
    const parts = path.split('.');
    let node = copy;
    for (const part of parts.slice(0, -1))
      node = (node.properties as Record<string, Record<string, unknown>>)[part]!;
    const leaf = parts[parts.length - 1]!;
    delete (node.properties as Record<string, unknown>)[leaf];
    if (Array.isArray(node.required)) node.required = (node.required as string[]).filter((r) => r !== leaf);
  }
  return copy;
}

const compiled = new Map<string, ValidateFunction>();

/**
 * The validator of a type and version's data (`<type>.v<version>`), in its clear form or as it
 * travels sealed; undefined when there is no such schema (or, sealed, when the type declares no
 * personal field).
 */
function dataValidator(key: string, sealed: boolean): ValidateFunction | undefined {
  const name = sealed ? `${key} sealed` : key;
  const known = compiled.get(name);
  if (known) return known;
  const schema = dataSchemas.get(key);
  const personal = PERSONAL_DATA[key];
  if (!schema || (sealed && !personal)) return undefined;
  const validate = ajv.compile(sealed ? sealedSchemaOf(schema, personal!.fields) : schema);
  compiled.set(name, validate);
  return validate;
}

/** Compiles every schema now (the envelope, the partner message, each type's data, clear and sealed); returns how many. */
export function compileEventSchemas(): number {
  envelopeShape();
  partnerShape();
  let count = 2;
  for (const key of dataSchemas.keys())
    for (const sealed of [false, true]) if (dataValidator(key, sealed)) count += 1;
  return count;
}

const knownTypes = new Set(DATA_SCHEMAS.map((e) => e.type));

const describe = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');

/** Throws EVENT.INVALID_SCHEMA or EVENT.UNKNOWN_TYPE (both non-retriable); returns the typed event. */
export function validateEvent(candidate: unknown): AnyEvent {
  const validateEnvelopeShape = envelopeShape();
  if (!validateEnvelopeShape(candidate)) {
    throw new EventError('EVENT.INVALID_SCHEMA', `envelope: ${describe(validateEnvelopeShape.errors)}`, {
      details: validateEnvelopeShape.errors,
    });
  }
  const envelope = candidate as { type: string; version: number; data: unknown; sealed?: unknown };
  const key = `${envelope.type}.v${envelope.version}`;
  // a sealed event's data is checked in its wire form here, in its clear form once opened
  const validateData = dataValidator(key, Boolean(envelope.sealed));
  if (envelope.sealed && !validateData && dataSchemas.has(key)) {
    throw new EventError(
      'EVENT.SEALED_INVALID',
      `${key} declares no personal field, yet the event is sealed`,
    );
  }
  if (!validateData) {
    throw new EventError(
      'EVENT.UNKNOWN_TYPE',
      knownTypes.has(envelope.type)
        ? `${envelope.type} has no schema for version ${envelope.version}`
        : `no schema for event type ${envelope.type}`,
    );
  }
  if (!validateData(envelope.data)) {
    throw new EventError(
      'EVENT.INVALID_SCHEMA',
      `${envelope.type} v${envelope.version} data: ${describe(validateData.errors)}`,
      { details: validateData.errors },
    );
  }
  return candidate as AnyEvent;
}

/**
 * A partner message in the partner's own format as a validated envelope: tidied (a type's case,
 * a timestamp's form: tidyPartnerMessage), the shape checked, the identity normalized
 * (partner.ts), then the envelope validated like any event.
 */
export function validatePartnerMessage(raw: unknown, options: PartnerDecodeOptions = {}): AnyEvent {
  // the same value written otherwise (a type's case, a timestamp's form) is read, not refused
  const candidate = tidyPartnerMessage(raw, options);
  const validatePartnerShape = partnerShape();
  if (!validatePartnerShape(candidate)) {
    throw new EventError(
      'EVENT.INVALID_SCHEMA',
      `partner message: ${describe(validatePartnerShape.errors)}`,
      {
        details: validatePartnerShape.errors,
      },
    );
  }
  return validateEvent(fromPartnerMessage(candidate, options));
}

export type WireFormat = 'envelope' | 'partner';

/** Bytes from a topic -> a validated event; every failure is a non-retriable EventError. */
export function decodeEvent(
  value: Buffer | string | null,
  format: WireFormat = 'envelope',
  partner: PartnerDecodeOptions = {},
): AnyEvent {
  if (value === null || value.length === 0) throw new EventError('EVENT.MALFORMED', 'empty message');
  if (format === 'partner') {
    const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
    if (bytes > PARTNER_MESSAGE_MAX_BYTES) {
      throw new EventError(
        'EVENT.TOO_LARGE',
        `partner message of ${bytes} bytes, over the ${PARTNER_MESSAGE_MAX_BYTES} allowed`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (err) {
    throw new EventError('EVENT.MALFORMED', `not JSON (${(err as Error).message})`, { retriable: false });
  }
  return format === 'partner' ? validatePartnerMessage(parsed, partner) : validateEvent(parsed);
}
