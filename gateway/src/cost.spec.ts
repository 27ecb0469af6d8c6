import {
  getIntrospectionQuery,
  parse,
  GraphQLError,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { PlannedSupergraph } from './apollo-internals';
import {
  CostCache,
  LIMIT_COST,
  LIST_SIZES,
  costRefusal,
  listFieldsOf,
  operationCost,
  type ListSize,
} from './cost';
import { envSchema } from './env';
import { loadSupergraph } from './server';

const schema: GraphQLSchema = new PlannedSupergraph(loadSupergraph('schemas/supergraph.graphql')).schema;
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  operationCost({ schema, document: parse(query), variables });
const DEFAULT_MAX_COST = envSchema.shape.MAX_COST.parse(undefined);

describe('every list field of the supergraph is bounded, or known not to be', () => {
  const lists = listFieldsOf(schema);

  it('has a size for every list field, and none for a field that is gone', () => {
    expect(lists.filter((f) => !LIST_SIZES[f])).toEqual([]);
    expect(Object.keys(LIST_SIZES).filter((f) => !lists.includes(f))).toEqual([]);
  });

  it('calls paginated exactly the fields that take first or last', () => {
    const paged = lists.filter((f) => {
      const [type, field] = f.split('.') as [string, string];
      const def = (schema.getType(type) as GraphQLObjectType).getFields()[field]!;
      return def.args.some((a) => a.name === 'first' || a.name === 'last');
    });
    const declared = (kind: ListSize['kind']) =>
      Object.entries(LIST_SIZES)
        .filter(([, s]) => s.kind === kind)
        .map(([f]) => f)
        .sort();
    expect(declared('page')).toEqual(paged.sort());
    // a connection's edges are counted by the page that holds them
    expect(declared('parent').every((f) => /Connection\.edges$/.test(f))).toBe(true);
  });

  it('sizes the lists without pagination by what their service caps them to', () => {
    // the histories that grow with a claim's or an advisor's life: each service keeps the newest
    const capped = Object.fromEntries(
      Object.entries(LIST_SIZES)
        .filter(([, s]) => s.kind === 'bounded' && /keeps|returns the first/.test(s.why))
        .map(([f, s]) => [f, s.kind === 'bounded' ? s.size : 0]),
    );
    expect(capped).toEqual({
      'Advisor.assignments': 50,
      'Claim.activity': 200,
      'Claim.reimbursements': 50,
      'Claim.statusHistory': 100,
      'Client.contracts': 50,
      'Client.conversations': 50,
      'Contract.claims': 100,
      'EscalationEntry.assignmentHistory': 50,
      'Query.advisors': 200,
      'Query.casesByLead': 50,
      'Query.claimHistory': 500,
      'Query.reimbursementsByClaim': 50,
    });
  });

  it('counts a field once, and a page once per item: first, or the page size when absent', () => {
    expect(cost('{ claim(id: "c") { id status } }')).toBe(3);
    // clients 1 + 10 x (edges 1 + node 1 + id 1)
    expect(cost('{ clients(first: 10) { edges { node { id } } } }')).toBe(31);
    expect(cost('{ clients { edges { node { id } } } }')).toBe(61);
    expect(cost('query($n: Int) { clients(first: $n) { edges { node { id } } } }', { n: 50 })).toBe(151);
    expect(cost('{ claim(id: "c") { messages(last: 4) { text } } }')).toBe(1 + 1 + 4);
  });

  it('multiplies nested lists: 100 clients x 100 claims costs about 10,000 claims', () => {
    const one = cost('{ claim(id: "c") { id } }');
    const many = cost(
      '{ clients(first: 100) { edges { node { claims(first: 100) { edges { node { id } } } } } } }',
    );
    // 1 + 100 x (edges 1 + node 1 + claims (1 + 100 x (edges 1 + node 1 + id 1)))
    expect(many).toBe(1 + 100 * (2 + 1 + 100 * 3));
    expect(many / one).toBeGreaterThan(10_000);
  });

  it('counts an unpaginated list at its known size', () => {
    expect(cost('{ claim(id: "c") { statusHistory { at } } }')).toBe(1 + 1 + 100);
    expect(cost('{ advisors { id assignments { id } } }')).toBe(1 + 200 * (1 + 1 + 50));
  });

  it('expands fragments and skips what @skip or @include leave out', () => {
    const query = `query($all: Boolean!) {
      clients(first: 10) { edges { node { ...Name contracts @include(if: $all) { id } } } }
    } fragment Name on Client { lastName firstName }`;
    expect(cost(query, { all: false })).toBe(1 + 10 * (1 + 1 + 2));
    expect(cost(query, { all: true })).toBe(1 + 10 * (1 + 1 + 2 + 1 + 50));
  });
});

describe('the cost limit', () => {
  const query = '{ clients(first: 10) { edges { node { id } } } }'; // 31

  it('accepts an operation at the limit and refuses it one below, with LIMIT.COST', () => {
    const op = { schema, document: parse(query) };
    expect(costRefusal(op, 31)).toBeUndefined();
    const refused = costRefusal(op, 30);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused!.extensions['code']).toBe(LIMIT_COST);
    expect(refused!.message).toBe('Query cost limit of 30 exceeded, found 31.');
  });

  it('refuses one more item than the limit allows, set by a variable', () => {
    const byVariable = parse('query($n: Int) { clients(first: $n) { edges { node { id } } } }');
    // 1 + n x 3: 40 items cost 121
    expect(costRefusal({ schema, document: byVariable, variables: { n: 40 } }, 121)).toBeUndefined();
    expect(costRefusal({ schema, document: byVariable, variables: { n: 41 } }, 121)?.extensions['code']).toBe(
      LIMIT_COST,
    );
  });

  it('refuses a document that expands past 10,000 selections (nested fragments)', () => {
    const levels = 14;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Claim { ${i === levels - 1 ? 'id' : `...F${i + 1} ...F${i + 1}`} }`,
    ).join('\n');
    const refused = costRefusal(
      { schema, document: parse(`{ claim(id: "c") { ...F0 } } ${fragments}`) },
      1e9,
    );
    expect(refused?.extensions['code']).toBe(LIMIT_COST);
    expect(refused?.message).toMatch(/more than 10,000 selections/);
  });

  it('lets variables of the wrong type through: execution refuses them before any resolver', () => {
    const document = parse('query($n: Int) { clients(first: $n) { edges { node { id } } } }');
    expect(costRefusal({ schema, document, variables: { n: 'many' } }, 1)).toBeUndefined();
  });
});

describe('the cost cache', () => {
  const counting = () => {
    const calls: unknown[] = [];
    const measure: typeof costRefusal = (op, max) => {
      calls.push(op.variables);
      return costRefusal(op, max);
    };
    return { calls, measure };
  };

  it('measures a repeated operation once, and answers as costRefusal does', () => {
    const { calls, measure } = counting();
    const cache = new CostCache(30, 64, measure);
    const document = parse('{ clients(first: 10) { edges { node { id } } } }'); // 31
    for (let i = 0; i < 5; i += 1) {
      const refused = cache.refusal({ schema, document });
      expect(refused?.extensions['code']).toBe(LIMIT_COST);
      expect(refused?.message).toBe('Query cost limit of 30 exceeded, found 31.');
    }
    expect(calls).toHaveLength(1);
  });

  it('measures again for another value of a variable the cost depends on, not for the others', () => {
    const { calls, measure } = counting();
    const cache = new CostCache(121, 64, measure);
    const document = parse(
      'query($n: Int, $q: String, $more: Boolean!) { clients(first: $n, search: $q) { edges { node { id lastName @include(if: $more) } } } }',
    );
    // 1 + n x (1 + 1 + 1 + 1 with lastName): 30 items cost 121 with it, 91 without
    expect(cache.refusal({ schema, document, variables: { n: 30, q: 'a', more: false } })).toBeUndefined();
    expect(cache.refusal({ schema, document, variables: { n: 30, q: 'b', more: false } })).toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(cache.refusal({ schema, document, variables: { n: 31, q: 'a', more: false } })).toBeUndefined();
    expect(calls).toHaveLength(2);
    const both = cache.refusal({ schema, document, variables: { n: 31, q: 'a', more: true } });
    expect(both?.extensions['code']).toBe(LIMIT_COST);
    expect(calls).toHaveLength(3);
    // the same outcome as measuring each time
    expect(both?.message).toBe(
      costRefusal({ schema, document, variables: { n: 31, q: 'a', more: true } }, 121)?.message,
    );
  });

  it('keeps a bounded number of outcomes per document, the oldest dropped first', () => {
    const { calls, measure } = counting();
    const cache = new CostCache(1e6, 2, measure);
    const document = parse('query($n: Int) { clients(first: $n) { edges { node { id } } } }');
    for (const n of [1, 2, 3]) cache.refusal({ schema, document, variables: { n } });
    expect(calls).toHaveLength(3);
    cache.refusal({ schema, document, variables: { n: 3 } });
    expect(calls).toHaveLength(3);
    cache.refusal({ schema, document, variables: { n: 1 } });
    expect(calls).toHaveLength(4);
  });
});

describe("the advisors' real operations pass the default limit", () => {
  // gateway/src/system.int.spec.ts: the whole claim file in one request
  const claimFile = `query($id: ID!) {
    client(id: $id) {
      lastName firstName email phone
      contracts { contractNumber status claims { claimNumber } }
      claims(first: 10) {
        totalCount
        edges { node {
          claimNumber type cciScore status
          client { lastName }
          contract { contractNumber }
          conversation { id }
          messages(last: 10) { role text }
          reimbursements { amountClaimed status claim { claimNumber } }
          escalation { status reasons advisor { name assignments { claim { claimNumber } } } }
        } }
      }
    }
  }`;
  // gateway/src/explorer.ts: the explorer's example
  const explorerExample = `{
    clientByMatricule(matricule: "AB-123-CD") {
      firstName lastName
      contracts { contractNumber type status }
      claims(first: 5) { edges { node {
        claimNumber type cciScore status handling
        messages(last: 4) { role text }
        reimbursements { amountClaimed status }
        escalation { status reasons advisor { name } }
      } } }
    }
  }`;
  // gateway/src/subscriptions.int.spec.ts: who is busy
  const advisorsLoad = '{ advisors { id activeClaims capacity assignments(status: ASSIGNED) { id } } }';
  // tools/start/seed.ts: the demo's directory
  const directory =
    '{ clients(first: 100) { edges { node { id matricule firstName lastName } } } advisors { id name } }';

  it.each([
    { name: 'the claim file', query: claimFile, expected: 8_567 },
    { name: "the explorer's example", query: explorerExample, expected: 765 },
    { name: "the advisors' load", query: advisorsLoad, expected: 10_801 },
    { name: "the demo's directory", query: directory, expected: 1_002 },
  ])('$name costs $expected, half the default limit at most', ({ query, expected }) => {
    expect(cost(query, { id: 'c' })).toBe(expected);
    expect(expected).toBeLessThanOrEqual(DEFAULT_MAX_COST / 2);
  });

  it('lets the explorer read the schema (introspection counts each field once)', () => {
    expect(cost(getIntrospectionQuery())).toBeLessThan(500);
  });

  it('refuses a page of 100 full claim files', () => {
    const hundred = claimFile.replace('claims(first: 10)', 'claims(first: 100)');
    expect(cost(hundred, { id: 'c' })).toBeGreaterThan(DEFAULT_MAX_COST);
  });
});
