// Federation: one `_entities` query per @key this subgraph defines (Client, Contract, Lead),
// as the gateway sends them, plus the federation SDL and the health endpoints.
import { callerOfEvent } from '@crm/subgraph';
import { ISSUE_CONTRACT, nextMatricule, REGISTER_CLIENT, startIdentity, type Harness } from '../test/harness';

let h: Harness;
let clientId: string;
let contractId: string;
beforeAll(async () => {
  h = await startIdentity('entities');
  const registered = await h.gql(REGISTER_CLIENT, {
    input: { matricule: nextMatricule(), lastName: 'Petit', firstName: 'Anne' },
  });
  clientId = registered.data!.registerClient.id;
  const issued = await h.gql(ISSUE_CONTRACT, {
    input: { clientId, type: 'AUTO', contractNumber: 'ENT-0001' },
  });
  contractId = issued.data!.issueContract.id;
  await h.service.parts.leads.upsert(
    {
      email: 'anne.petit@example.fr',
      name: 'anne petit',
      source: 'AUDIT_IA',
      at: new Date('2026-02-02T14:30:00Z'),
    },
    callerOfEvent('test', { id: 'e-1', correlationId: 'c-1' }),
  );
});
afterAll(() => h.stop());

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename
  ... on Client { id lastName status contracts { id } }
  ... on Contract { id contractNumber type client { id } }
  ... on Lead { email name source }
} }`;

describe('_entities', () => {
  it('resolves Client by id (null for an unknown one)', async () => {
    const res = await h.gql(ENTITIES, {
      representations: [
        { __typename: 'Client', id: clientId },
        { __typename: 'Client', id: '00000000-0000-4000-8000-0000000000ff' },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      _entities: [
        {
          __typename: 'Client',
          id: clientId,
          lastName: 'Petit',
          status: 'ACTIVE',
          contracts: [{ id: contractId }],
        },
        null,
      ],
    });
  });

  it('resolves Contract by id', async () => {
    const res = await h.gql(ENTITIES, { representations: [{ __typename: 'Contract', id: contractId }] });
    expect(res.data).toEqual({
      _entities: [
        {
          __typename: 'Contract',
          id: contractId,
          contractNumber: 'ENT-0001',
          type: 'AUTO',
          client: { id: clientId },
        },
      ],
    });
  });

  it('resolves Lead by email', async () => {
    const res = await h.gql(ENTITIES, {
      representations: [{ __typename: 'Lead', email: 'anne.petit@example.fr' }],
    });
    expect(res.data).toEqual({
      _entities: [
        { __typename: 'Lead', email: 'anne.petit@example.fr', name: 'Anne Petit', source: 'AUDIT_IA' },
      ],
    });
  });

  it('batches many representations of one type into one query', async () => {
    h.queries.length = 0;
    const res = await h.gql(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id } } }`,
      {
        r: [clientId, clientId.toUpperCase(), '00000000-0000-4000-8000-0000000000fe'].map((id) => ({
          __typename: 'Client',
          id,
        })),
      },
    );
    expect(res.data).toEqual({ _entities: [{ id: clientId }, { id: clientId }, null] });
    expect(h.queries.filter((q) => /from "clients"/i.test(q))).toHaveLength(1);
  });
});

describe('subgraph', () => {
  it('serves a Federation 2 SDL with the three keys', async () => {
    // _service is federation's, not in the SDL: codegen cannot type it, the result is read as unknown
    const res = await h.gql(`{ _service { sdl } }`);
    const sdlPath = ['_service', 'sdl'];
    expect(res.data).toHaveProperty(sdlPath, expect.stringMatching(/type Client\s+@key\(fields: "id"\)/));
    expect(res.data).toHaveProperty(sdlPath, expect.stringMatching(/type Contract\s+@key\(fields: "id"\)/));
    expect(res.data).toHaveProperty(sdlPath, expect.stringMatching(/type Lead\s+@key\(fields: "email"\)/));
  });

  it('reports live and ready', async () => {
    const base = h.service.url.replace('/graphql', '');
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', events: 'ok' } });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });
});
