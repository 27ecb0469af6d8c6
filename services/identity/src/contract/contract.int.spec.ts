// Contracts over real HTTP against a real PostgreSQL: issueContract, its event and errors,
// and the batched Client.contracts / Contract.client fields (no N+1).
import { perFile } from '@crm/testing';
import { graphql } from '../../test/generated';
import { ISSUE_CONTRACT, nextMatricule, startIdentity } from '../../test/harness';
import { MAX_CLIENT_CONTRACTS } from './contract.repository';

const h = perFile(() => startIdentity('contracts'));

// only what Contract.client answers, so the contract's client compares equal to it
const REGISTER_CONTRACT_HOLDER = graphql(`
  mutation RegisterContractHolder($input: RegisterClientInput!) {
    registerClient(input: $input) {
      id
      matricule
    }
  }
`);

const CLIENTS_WITH_CONTRACTS = graphql(`
  query ClientsWithContracts {
    clients(first: 100) {
      edges {
        node {
          id
          contracts {
            type
            client {
              id
            }
          }
        }
      }
    }
  }
`);

async function registerClient() {
  const res = await h.gql(REGISTER_CONTRACT_HOLDER, {
    input: { matricule: nextMatricule(), lastName: 'Bernard', firstName: 'Luc' },
  });
  return res.data!.registerClient;
}

describe('issueContract', () => {
  it('stores the contract with the seed values and publishes ContractIssued with what the bot needs', async () => {
    const client = await registerClient();
    const res = await h.gql(ISSUE_CONTRACT, {
      input: {
        clientId: client.id,
        contractNumber: ' auto-2026-0001 ',
        type: 'HOME',
        status: 'SUSPENDED',
        subscribedOn: '2025-01-15',
        expiresOn: '2026-01-14',
        coverages: ['incendie', ' dégâts des eaux ', 'incendie'],
        thirdPartyDeductible: '150.00',
        collisionDeductible: '300.5',
        propertyDamageCover: true,
        thirdPartyCover: false,
        civilLiabilityCover: true,
      },
    });
    expect(res.errors).toBeUndefined();
    const contract = res.data!.issueContract;
    expect(contract).toMatchObject({
      contractNumber: 'AUTO-2026-0001',
      type: 'HOME',
      status: 'SUSPENDED',
      subscribedOn: '2025-01-15',
      expiresOn: '2026-01-14',
      coverages: ['incendie', 'dégâts des eaux'],
      thirdPartyDeductible: '150.00',
      collisionDeductible: '300.50',
      propertyDamageCover: true,
      thirdPartyCover: false,
      civilLiabilityCover: true,
      client,
    });
    const [row] = await h.service.runtime.dataSource.query<Record<string, unknown>[]>(
      'select type_contrat, statut, garanties, franchise_tiers from contrats where id = $1',
      [contract.id],
    );
    expect(row).toEqual({
      type_contrat: 'habitation',
      statut: 'suspendu',
      garanties: ['incendie', 'dégâts des eaux'],
      franchise_tiers: '150.00',
    });

    const events = (await h.outbox('ContractIssued')).filter((e) => e.subject === contract.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      contractId: contract.id,
      clientId: client.id,
      matricule: client.matricule,
      contractNumber: 'AUTO-2026-0001',
      type: 'HOME',
      status: 'SUSPENDED',
      subscribedOn: '2025-01-15',
      expiresOn: '2026-01-14',
      coverages: ['incendie', 'dégâts des eaux'],
      thirdPartyDeductible: '150.00',
      collisionDeductible: '300.50',
      propertyDamageCover: true,
      thirdPartyCover: false,
      civilLiabilityCover: true,
      issuedAt: contract.createdAt,
    });
  });

  it('defaults to an active contract subscribed today with a generated number and no coverage', async () => {
    const client = await registerClient();
    const res = await h.gql(ISSUE_CONTRACT, {
      input: { clientId: client.id, type: 'AUTO' },
    });
    const contract = res.data!.issueContract;
    expect(contract.contractNumber).toMatch(new RegExp(`^CT-${new Date().getUTCFullYear()}-[A-Z2-9]{8}$`));
    expect(contract).toMatchObject({
      status: 'ACTIVE',
      subscribedOn: new Date().toISOString().slice(0, 10),
      coverages: [],
      expiresOn: null,
    });
  });

  it('answers CLIENT.NOT_FOUND, CONTRACT.NUMBER_TAKEN and VALIDATION.FAILED without writing an event', async () => {
    const client = await registerClient();
    await h.gql(ISSUE_CONTRACT, { input: { clientId: client.id, type: 'AUTO', contractNumber: 'DUP-1' } });
    const before = (await h.outbox('ContractIssued')).length;

    const missing = await h.gql(ISSUE_CONTRACT, {
      input: { clientId: '00000000-0000-4000-8000-00000000000a', type: 'AUTO' },
    });
    expect(missing.errors?.[0]?.extensions.code).toBe('CLIENT.NOT_FOUND');
    const taken = await h.gql(ISSUE_CONTRACT, {
      input: { clientId: client.id, type: 'OTHER', contractNumber: 'dup-1' },
    });
    expect(taken.errors?.[0]?.extensions).toEqual({
      code: 'CONTRACT.NUMBER_TAKEN',
      details: { contractNumber: 'DUP-1' },
    });
    const invalid = await h.gql(ISSUE_CONTRACT, {
      input: {
        clientId: 'nope',
        type: 'AUTO',
        contractNumber: 'x',
        subscribedOn: '2026-05-01',
        expiresOn: '2026-04-30',
        thirdPartyDeductible: '-5',
        coverages: ['  '],
      },
    });
    expect(invalid.errors?.[0]?.extensions.code).toBe('VALIDATION.FAILED');
    expect(invalid.errors![0]!.extensions.details!.problems!.map((p) => p.field).sort()).toEqual([
      'clientId',
      'contractNumber',
      'coverages.0',
      'expiresOn',
      'thirdPartyDeductible',
    ]);
    expect((await h.outbox('ContractIssued')).length).toBe(before);
  });

  it('finds a contract by id; null when unknown', async () => {
    const client = await registerClient();
    const issued = await h.gql(ISSUE_CONTRACT, {
      input: { clientId: client.id, type: 'AUTO' },
    });
    const id = issued.data!.issueContract.id;
    const found = await h.gql(`query ($id: ID!) { contract(id: $id) { id client { id } } }`, { id });
    expect(found.data).toEqual({ contract: { id, client: { id: client.id } } });
    const unknown = await h.gql(`{ contract(id: "00000000-0000-4000-8000-00000000000b") { id } }`);
    expect(unknown.data).toEqual({ contract: null });
  });
});

describe('Client.contracts and Contract.client are batched', () => {
  it('loads the contracts of a page of clients in one query, and their clients back in one more', async () => {
    const clients = [await registerClient(), await registerClient(), await registerClient()];
    for (const client of clients)
      for (const type of ['AUTO', 'HOME'] as const)
        await h.gql(ISSUE_CONTRACT, { input: { clientId: client.id, type } });

    h.queries.length = 0;
    const res = await h.gql(CLIENTS_WITH_CONTRACTS);
    expect(res.errors).toBeUndefined();
    for (const client of clients) {
      const node = res.data!.clients.edges.find((e) => e.node.id === client.id)!.node;
      expect(node.contracts.map((c) => c.type)).toEqual(['AUTO', 'HOME']);
      expect(node.contracts.every((c) => c.client.id === client.id)).toBe(true);
    }
    const contractQueries = h.queries.filter((q) => /from "contrats"/i.test(q));
    const clientQueries = h.queries.filter((q) => /from "clients"/i.test(q));
    expect(contractQueries).toHaveLength(1);
    // the page, its count, and one batched load for Contract.client
    expect(clientQueries).toHaveLength(3);
  });

  it('returns at most MAX_CLIENT_CONTRACTS per client, the newest, oldest first, in one query', async () => {
    const clients = [await registerClient(), await registerClient()];
    const count = MAX_CLIENT_CONTRACTS + 1;
    // N-<client>-1 (the oldest) to N-<client>-51, a day apart: N-<client>-1 is left out
    for (const client of clients)
      await h.sql(
        `INSERT INTO contrats (client_id, numero_contrat, type_contrat, date_creation)
         SELECT $1, 'N-' || $2 || '-' || i, 'auto', TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL '1 day'
         FROM generate_series(1, $3::int) i`,
        [client.id, client.matricule, count],
      );

    h.queries.length = 0;
    const res = await h.gql(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Client { contracts { contractNumber } } } }`,
      { reps: clients.map((c) => ({ __typename: 'Client', id: c.id })) },
    );
    expect(res.errors).toBeUndefined();
    clients.forEach((client, k) =>
      expect(res.data).toHaveProperty(
        ['_entities', k, 'contracts'],
        Array.from({ length: MAX_CLIENT_CONTRACTS }, (_, i) => ({
          contractNumber: `N-${client.matricule}-${count - MAX_CLIENT_CONTRACTS + 1 + i}`,
        })),
      ),
    );
    expect(h.queries.filter((q) => /from "contrats"/i.test(q))).toHaveLength(1);
  });
});
