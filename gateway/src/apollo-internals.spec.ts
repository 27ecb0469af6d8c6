// Fails loudly when an Apollo upgrade changes what apollo-internals.ts reaches into: the
// installed versions, the pins in gateway/package.json, and the planner and executor doing
// what federated subscriptions rely on (plan a federated operation, run the plan against the
// subgraphs' answers and merge them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { APOLLO_INTERNALS_VERSION, PlannedSupergraph, type PlanRequestContext } from './apollo-internals';
import { loadSupergraph } from './server';

const PINNED = ['@apollo/gateway', '@apollo/federation-internals', '@apollo/query-planner'];
const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

describe('the Apollo internals the gateway uses', () => {
  it('are the pinned version, declared exactly in gateway/package.json', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of PINNED) {
      expect({ name, declared: manifest.dependencies[name] }).toEqual({
        name,
        declared: APOLLO_INTERNALS_VERSION,
      });
      expect({ name, installed: installedVersion(name) }).toEqual({
        name,
        installed: APOLLO_INTERNALS_VERSION,
      });
    }
  });

  it('plan a federated query and execute the plan against the subgraphs, merging their answers', async () => {
    const supergraph = new PlannedSupergraph(loadSupergraph('schemas/supergraph.graphql'));
    const document = parse(`query($id: ID!) { claim(id: $id) { claimNumber client { lastName } } }`);
    const plan = supergraph.plan(document);
    expect(plan.node?.kind).toBe('Sequence');
    const asked: string[] = [];
    const source = (
      name: string,
      answer: (variables: Record<string, unknown>) => unknown,
    ): GraphQLDataSource =>
      ({
        process: ({ request }: { request: { query?: string; variables?: Record<string, unknown> } }) => {
          asked.push(name);
          return Promise.resolve({ data: answer(request.variables ?? {}) });
        },
      }) as unknown as GraphQLDataSource;
    const result = await supergraph.execute(
      plan,
      {
        claims: source('claims', () => ({
          claim: { claimNumber: 'SIN-2026-000042', client: { __typename: 'Client', id: 'c-1' } },
        })),
        identity: source('identity', (v) => ({
          _entities: (v.representations as { id: string }[]).map((r) => ({
            __typename: 'Client',
            lastName: `Dupont (${r.id})`,
          })),
        })),
      },
      {
        request: { query: '', variables: { id: 'x' } },
        context: {},
        metrics: {},
      } as unknown as PlanRequestContext,
      supergraph.operationContext(document),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      claim: { claimNumber: 'SIN-2026-000042', client: { lastName: 'Dupont (c-1)' } },
    });
    expect(asked).toEqual(['claims', 'identity']);
  });
});
