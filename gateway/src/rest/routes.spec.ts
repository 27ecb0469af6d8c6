// The route table against the graph the gateway serves: each route's document is valid against
// the supergraph's API schema and names its one operation; the seed's value tables cover the
// graph's enums exactly; paths match the seed's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, validate, type EnumTypeDefinitionNode } from 'graphql';
import { PlannedSupergraph } from '../apollo-internals';
import { cciRange, matchRoute, ROUTES } from './routes';
import { VALUE_TABLES, type SeedValues } from './values';

const sdl = readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'supergraph.graphql'), 'utf8');
const api = new PlannedSupergraph(sdl).schema;

describe('the REST route table', () => {
  it('has the seed’s seventeen endpoints, each once', () => {
    const endpoints = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(endpoints).size).toBe(17);
    expect(endpoints).toHaveLength(17);
    expect(new Set(ROUTES.map((r) => r.operationName)).size).toBe(17);
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: a valid document with its one named operation (and its precondition read)',
    (_name, route) => {
      for (const op of [route, ...(route.precondition ? [route.precondition.read] : [])]) {
        const doc = parse(op.document);
        expect(validate(api, doc)).toEqual([]);
        const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
        expect(ops.map((o) => o.name?.value)).toEqual([op.operationName]);
      }
    },
  );

  it('maps each graph enum value to a seed value and back', () => {
    const enums = new Map(
      parse(sdl)
        .definitions.filter((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION)
        .map((d) => [d.name.value, (d.values ?? []).map((v) => v.name.value)]),
    );
    for (const table of VALUE_TABLES as readonly SeedValues<string, string>[]) {
      expect({ enum: table.graphEnum, values: [...table.graph].sort() }).toEqual({
        enum: table.graphEnum,
        values: [...(enums.get(table.graphEnum) ?? [])].sort(),
      });
      for (const [i, g] of table.graph.entries()) {
        expect(table.toFrench(g)).toBe(table.french[i]);
        expect(table.toGraph(table.french[i]!)).toBe(g);
      }
      expect(() => table.toFrench('NOT_A_VALUE')).toThrow();
    }
  });

  it('matches paths: literal segments first, parameters decoded, 405 with the allowed methods', () => {
    expect(matchRoute('GET', '/api/v1/escalade/queue').match?.route.operationName).toBe('RestQueue');
    expect(matchRoute('POST', '/api/v1/escalade/abc').match?.params).toEqual({ sinistre_id: 'abc' });
    expect(matchRoute('GET', '/api/v1/clients/ab%20123%20cd').match?.params).toEqual({
      matricule: 'ab 123 cd',
    });
    expect(matchRoute('GET', '/api/v1/clients').allowed).toEqual(['POST']);
    expect(matchRoute('PATCH', '/api/v1/sinistres/x').allowed.sort()).toEqual(['DELETE', 'GET', 'PUT']);
    expect(matchRoute('GET', '/api/v1/clients/%E0%A4%A').malformed).toBe(true);
    expect(matchRoute('GET', '/api/v1/nothing')).toEqual({ allowed: [] });
  });

  it('makes every PUT carry the version its If-Match check read, so the service refuses a later change', () => {
    // the assignment's If-Match is optional and compares only (an entry has no version)
    const puts = ROUTES.filter((r) => r.method === 'PUT' && r.precondition?.required);
    expect(puts.map((r) => r.path).sort()).toEqual([
      '/api/v1/clients/{id}',
      '/api/v1/remboursements/{id}',
      '/api/v1/sinistres/{id}',
    ]);
    const version = '2030-01-02T03:04:05.678Z';
    for (const route of puts) {
      const input = {
        params: { id: 'x1' },
        query: {},
        body: {},
        principal: { sub: 'adv-1', roles: ['advisor' as const] },
      };
      expect(route.variables({ ...input, expectedUpdatedAt: version })['input']).toMatchObject({
        id: 'x1',
        expectedUpdatedAt: version,
      });
      expect(route.variables(input)['input']).not.toHaveProperty('expectedUpdatedAt');
      // the read's representation carries that version
      expect(route.precondition!.read.document).toMatch(/\bupdatedAt\b/);
    }
  });

  it('reads ?cci= as min,max or min alone', () => {
    expect(cciRange('60,100')).toEqual({ cciMin: 60, cciMax: 100 });
    expect(cciRange('60')).toEqual({ cciMin: 60 });
    expect(cciRange(undefined)).toEqual({});
  });
});
