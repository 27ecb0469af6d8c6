import { GraphQLError, parse } from 'graphql';
import { generateInternalKeys, InternalTokenSigner } from '@crm/auth';
import { createLogger } from '@crm/logging';
import {
  FederatedSubscriptions,
  toWebSocketUrl,
  UPSTREAM_RETRY_ATTEMPTS,
  upstreamError,
  upstreamRetryWait,
} from './federated-subscriptions';
import { loadSupergraph } from './server';

const subscriptions = new FederatedSubscriptions({
  supergraphSdl: loadSupergraph('schemas/supergraph.graphql'),
  dataSources: {},
  subgraphUrls: {},
  tokens: new InternalTokenSigner(generateInternalKeys().privateKey),
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

  it('plans an operation once for all its subscriptions (they share the document ws.ts parsed)', async () => {
    const shared = new FederatedSubscriptions({
      supergraphSdl: loadSupergraph('schemas/supergraph.graphql'),
      dataSources: {},
      subgraphUrls: {},
      tokens: new InternalTokenSigner(generateInternalKeys().privateKey),
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    // no subgraph here: the upstream socket is a stand-in whose subscriptions end at once
    const upstream = {
      iterate: () => ({
        next: () => Promise.resolve({ done: true }),
        return: () => Promise.resolve({ done: true }),
      }),
    };
    jest
      .spyOn(shared as unknown as { connect: () => unknown }, 'connect')
      .mockReturnValue({ client: upstream, release: () => undefined });
    const plan = jest.spyOn(shared, 'plan');
    const text = `subscription { myAssignments { kind entry { id status } } }`;
    const document = parse(text);
    const contextValue = { principal: { sub: 'a', roles: ['advisor'] }, correlationId: 'c' };
    const open = (doc: typeof document) =>
      shared.subscribe({
        schema: shared.schema,
        document: doc,
        contextValue,
      }) as AsyncIterableIterator<unknown>;
    const iterators = [open(document), open(document), open(document)];
    expect(plan).toHaveBeenCalledTimes(1);
    // another document of the same text is another entry (ws.ts gives the same one)
    iterators.push(open(parse(text)));
    expect(plan).toHaveBeenCalledTimes(2);
    for (const it of iterators) await it.return?.();
  });

  it('speaks graphql-ws on the subgraph URL', () => {
    expect(toWebSocketUrl('http://127.0.0.1:4005/graphql')).toBe('ws://127.0.0.1:4005/graphql');
    expect(toWebSocketUrl('https://escalation.internal/graphql')).toBe('wss://escalation.internal/graphql');
  });
});

describe('the upstream connection of a subscription', () => {
  it('waits 1, 2, 4, 8 then 10 s (plus under 1 s of jitter) between reconnection attempts', async () => {
    jest.useFakeTimers();
    try {
      const waits: number[] = [];
      for (let retries = 0; retries < UPSTREAM_RETRY_ATTEMPTS; retries++) {
        let done = false;
        void upstreamRetryWait(retries).then(() => (done = true));
        const base = Math.min(10_000, 1000 * 2 ** retries);
        await jest.advanceTimersByTimeAsync(base - 1);
        expect(done).toBe(false);
        await jest.advanceTimersByTimeAsync(1000);
        expect(done).toBe(true);
        waits.push(base);
      }
      expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends a subscription whose service stayed away with SUBSCRIPTION.UPSTREAM_CLOSED', () => {
    const closed = upstreamError('escalation', { code: 1006, reason: '' }) as GraphQLError;
    expect(closed).toBeInstanceOf(GraphQLError);
    expect(closed.extensions).toEqual({ code: 'SUBSCRIPTION.UPSTREAM_CLOSED', closeCode: 1006 });
    expect(closed.message).toMatch(/escalation service closed the subscription \(1006\)/);
    // a socket error event (connection refused), which carries no code
    const refused = upstreamError('escalation', new (class ErrorEvent {})()) as GraphQLError;
    expect(refused.extensions).toEqual({ code: 'SUBSCRIPTION.UPSTREAM_CLOSED' });
    const own = new Error('planner failed');
    expect(upstreamError('escalation', own)).toBe(own);
  });
});
