// Generates src/generated/schemas.generated.ts from schemas/events/**/*.json, the one source of
// truth: the JSON Schemas are embedded (so that a built package validates without reading
// files) and the TypeScript types are derived from them by json-schema-to-typescript.
// schema-sync.int.spec.ts regenerates and compares, so the committed file cannot drift.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import * as prettier from 'prettier';

export const SCHEMAS_DIR = resolve(__dirname, '..', '..', '..', '..', 'schemas', 'events');
export const GENERATED_FILE = resolve(__dirname, '..', 'generated', 'schemas.generated.ts');

interface XEvent {
  type: string;
  version: number;
  domain: string;
}

/** `x-personal`: which fields of the data are a person's, sealed under whose key (docs/privacy.md). */
interface XPersonal {
  subject: string[];
  fields: string[];
}

/** The schema of a dotted path inside an object schema, or undefined (arrays are not entered). */
function schemaAt(schema: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const part of path.split('.')) {
    const properties = node?.properties as Record<string, Record<string, unknown>> | undefined;
    node = properties?.[part];
  }
  return node;
}

/** Checks an `x-personal` annotation against its schema; returns it, or undefined when absent. */
function personalOf(schema: Record<string, unknown>, file: string): XPersonal | undefined {
  const x = schema['x-personal'] as XPersonal | undefined;
  if (x === undefined) return undefined;
  const strings = (list: unknown) =>
    Array.isArray(list) && list.length > 0 && list.every((v) => typeof v === 'string');
  if (!strings(x.subject) || !strings(x.fields))
    throw new Error(`${file}: "x-personal" must be { subject: [path...], fields: [path...] }`);
  for (const path of [...x.subject, ...x.fields])
    if (!schemaAt(schema, path))
      throw new Error(`${file}: "x-personal" names ${path}, which the schema does not define`);
  for (const path of x.subject)
    if (x.fields.includes(path))
      throw new Error(`${file}: ${path} cannot be both the key's subject and sealed`);
  return { subject: x.subject, fields: x.fields };
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/**
 * A oneOf/anyOf whose branches only require fields ("exactly one of claimId, caseId"); a branch
 * may name them in `properties` (ajv's strict mode wants a required field defined beside it).
 */
const onlyRequires = (branches: unknown): boolean =>
  Array.isArray(branches) &&
  (branches as unknown[]).every(
    (b) =>
      typeof b === 'object' &&
      b !== null &&
      'required' in b &&
      Object.keys(b).every((k) => k === 'required' || k === 'properties'),
  );

/**
 * json-schema-to-typescript turns a oneOf of `required` lists into an intersection with an open
 * index signature, which would let any misspelt field through the types. Those constraints are
 * left to validation (ajv reads the full schema); the type keeps the fields optional.
 */
function forTypes(schema: Record<string, unknown>): Record<string, unknown> {
  const { oneOf, anyOf, ...rest } = schema;
  return {
    ...rest,
    ...(oneOf !== undefined && !onlyRequires(oneOf) ? { oneOf } : {}),
    ...(anyOf !== undefined && !onlyRequires(anyOf) ? { anyOf } : {}),
  };
}

async function typeOf(schema: Record<string, unknown>): Promise<string> {
  const { title } = schema;
  if (typeof title !== 'string') throw new Error('every event schema needs a title (the TypeScript name)');
  return compile(forTypes(schema), title, {
    bannerComment: '',
    additionalProperties: false,
    format: false,
    strictIndexSignatures: true,
    declareExternallyReferenced: true,
  });
}

export async function generateSchemaModule(schemasDir = SCHEMAS_DIR): Promise<string> {
  const envelope = readJson(join(schemasDir, 'envelope.v1.json'));
  const inbound = readJson(join(schemasDir, 'partner-inbound.v1.json'));
  const dataFiles = jsonFiles(schemasDir).filter(
    (p) => !p.endsWith('envelope.v1.json') && !p.endsWith('partner-inbound.v1.json'),
  );
  const entries = dataFiles.map((path) => {
    const schema = readJson(path);
    const x = schema['x-event'] as XEvent | undefined;
    const file = relative(schemasDir, path);
    if (!x || typeof x.type !== 'string' || !Number.isInteger(x.version) || typeof x.domain !== 'string')
      throw new Error(`${file}: missing "x-event": { type, version, domain }`);
    if (file !== `${x.domain}/${x.type}.v${x.version}.json`)
      throw new Error(`${file}: must be named ${x.domain}/${x.type}.v${x.version}.json`);
    return { ...x, title: String(schema.title), schema, file, personal: personalOf(schema, file) };
  });
  // the latest version of each type is the one producers build
  const latest = new Map<string, (typeof entries)[number]>();
  for (const e of entries) if ((latest.get(e.type)?.version ?? 0) < e.version) latest.set(e.type, e);

  const types = await Promise.all([
    typeOf(envelope),
    typeOf(inbound),
    ...entries.map((e) => typeOf(e.schema)),
  ]);
  const latestList = [...latest.values()].sort((a, b) => a.type.localeCompare(b.type));
  const source = [
    '// GENERATED by `npx tsx --conditions=source packages/events/src/cli/generate-schemas.cli.ts`',
    '// from schemas/events/**/*.json. Do not edit: change the JSON Schema and regenerate.',
    '/* eslint-disable */',
    '',
    'export interface EventSchemaEntry {',
    '  type: string;',
    '  version: number;',
    '  domain: string;',
    '  file: string;',
    '  schema: Record<string, unknown>;',
    '}',
    '',
    `export const ENVELOPE_SCHEMA: Record<string, unknown> = ${JSON.stringify(envelope)};`,
    `export const PARTNER_INBOUND_SCHEMA: Record<string, unknown> = ${JSON.stringify(inbound)};`,
    `export const DATA_SCHEMAS: readonly EventSchemaEntry[] = ${JSON.stringify(
      entries.map(({ type, version, domain, file, schema }) => ({ type, version, domain, file, schema })),
    )};`,
    '',
    ...types,
    '/** event type -> data of its latest version */',
    'export interface EventDataMap {',
    ...latestList.map((e) => `  ${e.type}: ${e.title};`),
    '}',
    '',
    'export type EventType = keyof EventDataMap;',
    '',
    `export const EVENT_TYPES = ${JSON.stringify(latestList.map((e) => e.type))} as const satisfies readonly EventType[];`,
    '',
    '/** event type -> the domain (and so the topic) that produces it */',
    `export const EVENT_DOMAINS: Record<EventType, string> = ${JSON.stringify(
      Object.fromEntries(latestList.map((e) => [e.type, e.domain])),
    )};`,
    '',
    `export const LATEST_VERSIONS: Record<EventType, number> = ${JSON.stringify(
      Object.fromEntries(latestList.map((e) => [e.type, e.version])),
    )};`,
    '',
    '/** the personal fields of a data schema (its `x-personal`) and the paths of whose key seals them */',
    'export interface PersonalDataSpec {',
    '  /** paths of the id whose data key seals the fields: the first one present */',
    '  subject: readonly string[];',
    '  /** dotted paths of the fields sealed on the wire */',
    '  fields: readonly string[];',
    '}',
    '',
    '/** "<type>.v<version>" -> its personal fields, for every schema that has some */',
    `export const PERSONAL_DATA: Readonly<Record<string, PersonalDataSpec>> = ${JSON.stringify(
      Object.fromEntries(
        entries.filter((e) => e.personal).map((e) => [`${e.type}.v${e.version}`, e.personal]),
      ),
    )};`,
    '',
  ].join('\n');
  const config = (await prettier.resolveConfig(GENERATED_FILE)) ?? {};
  return prettier.format(source, { ...config, filepath: GENERATED_FILE });
}
