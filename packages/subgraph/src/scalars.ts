// Scalars shared by every subgraph (composition merges identical scalar definitions).
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const invalid = (what: string) =>
  new GraphQLError(`invalid ${what}`, { extensions: { code: 'BAD_USER_INPUT' } });

/** ISO 8601 instant, e.g. 2026-02-02T14:30:00.000Z. */
export const DateTimeScalar: GraphQLScalarType<Date, string> = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with a time zone (UTC on output).',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw invalid('DateTime');
    return date.toISOString();
  },
  parseValue(value) {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))
      throw invalid('DateTime');
    return new Date(value);
  },
  parseLiteral(ast): Date {
    if (ast.kind !== Kind.STRING) throw invalid('DateTime');
    return DateTimeScalar.parseValue(ast.value);
  },
});

/** A calendar date, YYYY-MM-DD (birth dates, contract dates). */
export const DateScalar: GraphQLScalarType<string, string> = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    throw invalid('Date');
  },
  parseValue(value) {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
      throw invalid('Date');
    return value;
  },
  parseLiteral(ast): string {
    if (ast.kind !== Kind.STRING) throw invalid('Date');
    return DateScalar.parseValue(ast.value);
  },
});

/** Money and other exact decimals travel as strings ("1234.50"): floats lose cents. */
export const DecimalScalar: GraphQLScalarType<string, string> = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1234.50" (euros).',
  serialize(value) {
    const s = typeof value === 'number' ? String(value) : value;
    if (typeof s !== 'string' || !/^-?\d+(\.\d+)?$/.test(s)) throw invalid('Decimal');
    return s;
  },
  parseValue(value) {
    const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (typeof s !== 'string' || !/^-?\d{1,10}(\.\d{1,2})?$/.test(s)) throw invalid('Decimal');
    return s;
  },
  parseLiteral(ast): string {
    if (ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT)
      return DecimalScalar.parseValue(ast.value);
    throw invalid('Decimal');
  },
});

function literalToJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return ast.value;
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    case Kind.VARIABLE:
      throw invalid('JSON literal (variables inside JSON literals are not supported)');
  }
}

/** Free-form JSON documents (the seed's JSONB columns: garanties, photo_urls, metadata...). */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'A JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalToJson,
});

export const scalarResolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Decimal: DecimalScalar,
  JSON: JSONScalar,
};

/** SDL for the scalars above; each subgraph includes it. */
export const scalarTypeDefs = /* GraphQL */ `
  scalar DateTime
  scalar Date
  scalar Decimal
  scalar JSON
`;
