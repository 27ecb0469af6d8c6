import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devServicePrivacy, servicePrivacyOf, type ServicePrivacy } from '@crm/privacy';
import { gql, scalarResolvers, type ServiceDefinition } from '@crm/subgraph';
import { KnownClaimEntity } from './claim/claim.entity';
import { subscribeKnownClaims } from './claim/claim.consumer';
import { KnownClaimRepository } from './claim/claim.repository';
import { KnownContractEntity } from './contract/contract.entity';
import { subscribeKnownContracts } from './contract/contract.consumer';
import { KnownContractRepository } from './contract/contract.repository';
import { createContext, type Context, type ReimbursementParts } from './context';
import { reimbursementMigrations } from './db/migrations';
import type { Env } from './env';
import { subscribeErasure } from './reimbursement/erasure.consumer';
import { ReimbursementEntity } from './reimbursement/reimbursement.entity';
import { reimbursementResolvers } from './reimbursement/reimbursement.resolvers';
import { ReimbursementService } from './reimbursement/reimbursement.service';
import { policies } from './policies';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

/**
 * The service; `privacy`: how the data keys of what reimbursements say in words are wrapped
 * (the development ring unless given: tests, and processes outside production).
 */
export const reimbursementService = (
  privacy: ServicePrivacy = devServicePrivacy(),
): ServiceDefinition<ReimbursementParts, Context> => ({
  name: 'reimbursement',
  privacy,
  policies,
  typeDefs: gql(sdl),
  entities: [ReimbursementEntity, KnownClaimEntity, KnownContractEntity],
  migrations: reimbursementMigrations(privacy.wrapper),
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
  consumers: async (parts) => {
    const { runtime, knownClaims, knownContracts, reimbursements } = parts;
    await subscribeKnownClaims(runtime, knownClaims, reimbursements);
    await subscribeKnownContracts(runtime, knownContracts, reimbursements);
    await subscribeErasure(parts);
  },
});

/** With the development ring (tests). */
export const definition = reimbursementService();

/** The service as its main.ts and npm start run it: the master key from env. */
export const definitionFromEnv = (env: Env) => reimbursementService(servicePrivacyOf(env));
