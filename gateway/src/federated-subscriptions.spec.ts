import { parse } from 'graphql';
import { createLogger } from '@crm/logging';
import { FederatedSubscriptions, toWebSocketUrl } from './federated-subscriptions';
import { loadSupergraph } from './server';

const subscriptions = new FederatedSubscriptions({
  supergraphSdl: loadSupergraph('schemas/supergraph.graphql'),
  dataSources: {},
  subgraphUrls: {},
  internalTokenSecret: 's'.repeat(40),
  logger: createLogger({ service: 'test', level: 'silent' }),
});

describe('federated subscriptions', () => {
  it("plans a subscription as the owning subgraph's subscription, then entity fetches", () => {
    const plan = subscriptions.plan(
      parse(`subscription {
        escalationQueue { kind entry { id client { lastName } claim { claimNumber } } }
      }`),
    );
    expect(plan.node?.kind).toBe('Subscription');
    if (plan.node?.kind !== 'Subscription') return;
    expect(plan.node.primary.serviceName).toBe('escalation');
    expect(plan.node.primary.operation).toMatch(/^subscription/);
    const rest = JSON.stringify(plan.node.rest);
    expect(rest).toContain('"serviceName":"identity"');
    expect(rest).toContain('"serviceName":"claims"');
  });

  it('needs no other fetch when the owning subgraph has every field', () => {
    const plan = subscriptions.plan(parse(`subscription { myAssignments { kind entry { id status } } }`));
    expect(plan.node?.kind).toBe('Subscription');
    if (plan.node?.kind !== 'Subscription') return;
    expect(plan.node.rest).toBeUndefined();
  });

  it('refuses an operation that is not a subscription', () => {
    const result = subscriptions.subscribe({
      schema: subscriptions.schema,
      document: parse(`query { advisors { id } }`),
      contextValue: { principal: { sub: 'a', roles: ['advisor'] }, correlationId: 'c' },
    });
    expect('errors' in result && result.errors?.[0]?.message).toBe('not a subscription operation');
  });

  it('speaks graphql-ws on the subgraph URL', () => {
    expect(toWebSocketUrl('http://127.0.0.1:4005/graphql')).toBe('ws://127.0.0.1:4005/graphql');
    expect(toWebSocketUrl('https://escalation.internal/graphql')).toBe('wss://escalation.internal/graphql');
  });
});
