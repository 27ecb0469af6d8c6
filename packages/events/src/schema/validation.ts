import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type AnyEvent } from '../envelope';
import { EventError } from '../errors';
import { fromPartnerMessage, type PartnerDecodeOptions } from '../partner';
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

const validateEnvelopeShape = ajv.compile(ENVELOPE_SCHEMA);
const validatePartnerShape = ajv.compile<PartnerInboundMessageV1>(PARTNER_INBOUND_SCHEMA);
const dataValidators = new Map<string, ValidateFunction>(
  DATA_SCHEMAS.map((entry) => [`${entry.type}.v${entry.version}`, ajv.compile(entry.schema)]),
);

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

const sealedValidators = new Map<string, ValidateFunction>(
  DATA_SCHEMAS.flatMap((entry) => {
    const key = `${entry.type}.v${entry.version}`;
    const personal = PERSONAL_DATA[key];
    return personal ? [[key, ajv.compile(sealedSchemaOf(entry.schema, personal.fields))] as const] : [];
  }),
);
const knownTypes = new Set(DATA_SCHEMAS.map((e) => e.type));

const describe = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');

/** Throws EVENT.INVALID_SCHEMA or EVENT.UNKNOWN_TYPE (both non-retriable); returns the typed event. */
export function validateEvent(candidate: unknown): AnyEvent {
  if (!validateEnvelopeShape(candidate)) {
    throw new EventError('EVENT.INVALID_SCHEMA', `envelope: ${describe(validateEnvelopeShape.errors)}`, {
      details: validateEnvelopeShape.errors,
    });
  }
  const envelope = candidate as { type: string; version: number; data: unknown; sealed?: unknown };
  const key = `${envelope.type}.v${envelope.version}`;
  // a sealed event's data is checked in its wire form here, in its clear form once opened
  const validateData = envelope.sealed ? sealedValidators.get(key) : dataValidators.get(key);
  if (envelope.sealed && !validateData && dataValidators.has(key)) {
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
 * A partner message in the partner's own format as a validated envelope: the shape is checked,
 * the identity normalized (partner.ts), then the envelope validated like any event.
 */
export function validatePartnerMessage(candidate: unknown, options: PartnerDecodeOptions = {}): AnyEvent {
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
