// The identity subgraph: clients (assurés), contracts and leads (docs/graph.md "identity").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { servicePrivacyOf, type ServicePrivacy } from '@crm/privacy';
import { gql, scalarResolvers, vaultOf, type ServiceDefinition } from '@crm/subgraph';
import { ClientRecord } from './client/client.entity';
import { clientResolvers } from './client/client.resolvers';
import { ClientService } from './client/client.service';
import { createContext, type IdentityContext, type IdentityParts, type IdentityServices } from './context';
import { ContractEntity } from './contract/contract.entity';
import { contractResolvers } from './contract/contract.resolvers';
import { ContractService } from './contract/contract.service';
import { identityMigrations } from './db/migrations/1763800000000-CreateIdentitySchema';
import type { Env } from './env';
import { LeadRecord } from './lead/lead.entity';
import { subscribeLeadsToCaseEvents } from './lead/lead.consumer';
import { subscribeErasureReceipts } from './erasure/erasure.consumer';
import { leadResolvers } from './lead/lead.resolvers';
import { LeadService } from './lead/lead.service';
import type { IdentityDeps } from './shared/deps';
import { PinService } from './pin/pin.service';
import { pinResolvers } from './pin/pin.resolvers';
import { policies } from './policies';

/** The SDL file is also what the supergraph is composed from (tools/supergraph); the build copies it to dist/. */
export const typeDefs = gql(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

export function createIdentityServices(deps: IdentityDeps): IdentityServices {
  return {
    clients: new ClientService(deps),
    contracts: new ContractService(deps),
    leads: new LeadService(deps),
    pins: new PinService(deps),
  };
}

export const identityService = (
  privacy: ServicePrivacy,
): ServiceDefinition<IdentityParts, IdentityContext> => ({
  name: 'identity',
  privacy,
  policies,
  typeDefs,
  entities: [ClientRecord, ContractEntity, LeadRecord],
  migrations: identityMigrations(privacy.wrapper),
  // a staff member opening a client's file is recorded, as a change is (docs/security.md)
  auditedReads: ['client', 'clientByMatricule'],
  setup: (runtime) => {
    const vault = vaultOf(runtime);
    return {
      runtime,
      vault,
      ...createIdentityServices({
        dataSource: runtime.dataSource,
        outbox: runtime.events.outbox,
        clock: runtime.clock,
        vault,
      }),
    };
  },
  resolvers(services) {
    const client = clientResolvers(services);
    const contract = contractResolvers(services);
    const lead = leadResolvers(services);
    const pin = pinResolvers(services);
    return {
      ...scalarResolvers,
      Query: { ...client.Query, ...contract.Query, ...lead.Query },
      Mutation: { ...client.Mutation, ...contract.Mutation, ...lead.Mutation, ...pin.Mutation },
      Client: { ...client.Client, ...pin.Client },
      Contract: contract.Contract,
      Lead: lead.Lead,
    };
  },
  context: createContext,
  consumers: async (parts) => {
    await subscribeLeadsToCaseEvents(parts.runtime, parts.leads);
    await subscribeErasureReceipts(parts.runtime);
  },
});

/** The service as its main.ts, npm start and the tests start it: the master key from env. */
export const definitionFromEnv = (env: Env) => identityService(servicePrivacyOf(env));
