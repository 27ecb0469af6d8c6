import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, scalarResolvers, type ServiceDefinition } from '@crm/subgraph';
import { KnownClaimEntity } from './claim/claim.entity';
import { subscribeKnownClaims } from './claim/claim.consumer';
import { KnownClaimRepository } from './claim/claim.repository';
import { KnownContractEntity } from './contract/contract.entity';
import { subscribeKnownContracts } from './contract/contract.consumer';
import { KnownContractRepository } from './contract/contract.repository';
import { createContext, type Context, type ReimbursementParts } from './context';
import { REIMBURSEMENT_MIGRATIONS } from './db/migrations';
import { ReimbursementEntity } from './reimbursement/reimbursement.entity';
import { reimbursementResolvers } from './reimbursement/reimbursement.resolvers';
import { ReimbursementService } from './reimbursement/reimbursement.service';
import { policies } from './policies';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

export const definition: ServiceDefinition<ReimbursementParts, Context> = {
  name: 'reimbursement',
  policies,
  typeDefs: gql(sdl),
  entities: [ReimbursementEntity, KnownClaimEntity, KnownContractEntity],
  migrations: REIMBURSEMENT_MIGRATIONS,
  setup: (runtime) => {
    const knownClaims = new KnownClaimRepository(runtime.dataSource.manager);
    const knownContracts = new KnownContractRepository(runtime.dataSource.manager);
    return {
      runtime,
      knownClaims,
      knownContracts,
      reimbursements: new ReimbursementService(runtime, runtime.clock, knownClaims, knownContracts),
    };
  },
  resolvers: () => ({ ...scalarResolvers, ...reimbursementResolvers }),
  context: createContext,
  consumers: async ({ runtime, knownClaims, knownContracts, reimbursements }) => {
    await subscribeKnownClaims(runtime, knownClaims, reimbursements);
    await subscribeKnownContracts(runtime, knownContracts, reimbursements);
  },
};
