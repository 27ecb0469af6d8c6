// Issue 21 (observability): one trace crosses the gateway, the subgraphs and Kafka. The five
// services and the gateway run as real processes on the real PostgreSQL and Kafka, each
// exporting over OTLP/HTTP to a receiver in this test. A client registered through the
// gateway is one trace from the gateway's operation to identity's server span, the outbox
// write, and the conversation service's consumer of ClientRegistered; a query answered by
// identity and claims is one trace with a server span in each.
import { issueUserToken } from '@crm/auth';
import {
  OTLP_KIND,
  randomSuffix,
  startOtlpReceiver,
  startReplicatedSystem,
  SYSTEM_SERVICES,
  waitFor,
  type GraphQLCall,
  type OtlpReceiver,
  type ReceivedSpan,
  type ReplicatedSystem,
} from '@crm/testing';

describe('traces across gateway, subgraphs and Kafka (real processes)', () => {
  let receiver: OtlpReceiver;
  let system: ReplicatedSystem;
  let gql: GraphQLCall;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
    system = await startReplicatedSystem({
      label: 'otel',
      gateways: 1,
      serviceEnv: Object.fromEntries(SYSTEM_SERVICES.map((s) => [s, otel])),
      gatewayEnv: otel,
    });
    const token = await issueUserToken(
      { sub: 'adv-otel', roles: ['advisor', 'supervisor'], name: 'Claire Martin' },
      system.userTokens,
    );
    gql = system.gateways[0]!.as(token);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  });

  const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
  const parentOf = (span: ReceivedSpan) =>
    receiver.spans.find((s) => s.traceId === span.traceId && s.spanId === span.parentSpanId);

  it('follows a mutation from the gateway through identity and its event to the conversation consumer', async () => {
    const lastName = `Trace${randomSuffix(6)}`;
    const { registerClient } = await gql<{ registerClient: { id: string } }>(
      `mutation RegisterTracedClient($input: RegisterClientInput!) {
        registerClient(input: $input) { id }
      }`,
      {
        input: {
          matricule: `TR-${String(100 + Math.floor(Math.random() * 899))}-CE`,
          civility: 'Mme',
          lastName,
          firstName: 'Camille',
          email: `camille.${randomSuffix(4)}@example.fr`,
          phone: '06 12 34 56 78',
          city: 'Lyon',
        },
      },
    );

    const root = await waitFor('the gateway span of RegisterTracedClient', () =>
      receiver.spans.find((s) => s.service === 'gateway' && s.name === 'graphql RegisterTracedClient'),
    );
    expect(root).toMatchObject({
      kind: OTLP_KIND.server,
      parentSpanId: undefined,
      attributes: {
        'graphql.operation.type': 'mutation',
        'graphql.operation.name': 'RegisterTracedClient',
        'crm.outcome': 'ok',
      },
    });
    // the consumer span in another service, in the same trace
    const consumed = await waitFor(
      'the conversation consumer span of the ClientRegistered event',
      () =>
        inTrace(root.traceId).find(
          (s) =>
            s.service === 'conversation' &&
            s.kind === OTLP_KIND.consumer &&
            s.attributes['crm.event.type'] === 'ClientRegistered',
        ),
      { timeoutMs: 30_000 },
    );
    expect(consumed.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.consumer.group.name': `${system.namespace}conversation.directory`,
      'crm.outcome': 'applied',
    });

    // consumer <- producer (identity, in the transaction) <- identity's server span <- the
    // gateway's client span <- the gateway's operation span: one chain, one trace
    const producer = parentOf(consumed)!;
    expect(producer).toMatchObject({ service: 'identity', kind: OTLP_KIND.producer });
    expect(producer.attributes['crm.event.type']).toBe('ClientRegistered');
    const server = parentOf(producer)!;
    expect(server).toMatchObject({ service: 'identity', kind: OTLP_KIND.server });
    // the gateway names a subgraph's operation after the client's (RegisterTracedClient__identity__0)
    expect(server.name).toMatch(/^graphql RegisterTracedClient__identity/);
    const client = parentOf(server)!;
    expect(client).toMatchObject({ service: 'gateway', kind: OTLP_KIND.client, name: 'subgraph identity' });
    expect(parentOf(client)).toBe(root);

    // nothing the client sent is in any span: not the variables, not the result
    const recorded = JSON.stringify(inTrace(root.traceId));
    for (const secret of [lastName, 'Camille', '06 12 34 56 78', registerClient.id]) {
      expect(recorded).not.toContain(secret);
    }
    expect(receiver.rejected).toBe(0);
  });

  it('follows a federated query into each subgraph that answers it', async () => {
    const { clients } = await gql<{ clients: { edges: { node: { id: string } }[] } }>(
      `query { clients(first: 1) { edges { node { id } } } }`,
    );
    const id = clients.edges[0]!.node.id;
    await gql(
      `query TracedClientFile($id: ID!) { client(id: $id) { lastName claims(first: 5) { totalCount } } }`,
      { id },
    );
    const root = await waitFor('the gateway span of TracedClientFile', () =>
      receiver.spans.find((s) => s.service === 'gateway' && s.name === 'graphql TracedClientFile'),
    );
    const servers = await waitFor('server spans of identity and claims in the trace', () => {
      const found = inTrace(root.traceId).filter((s) => s.kind === OTLP_KIND.server && s !== root);
      return new Set(found.map((s) => s.service)).size >= 2 ? found : undefined;
    });
    expect(new Set(servers.map((s) => s.service))).toEqual(new Set(['identity', 'claims']));
    for (const s of servers) {
      const client = parentOf(s)!;
      expect(client).toMatchObject({
        service: 'gateway',
        kind: OTLP_KIND.client,
        name: `subgraph ${s.service}`,
      });
      expect(parentOf(client)).toBe(root);
    }
  });
});
