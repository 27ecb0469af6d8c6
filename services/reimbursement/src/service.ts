import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, scalarResolvers, type ServiceDefinition } from '@crm/subgraph';
import { createContext, type Context, type ReimbursementParts } from './context';
import { REIMBURSEMENT_MIGRATIONS } from './db/migrations/1763900000000-CreateRemboursements';
import { ReimbursementEntity } from './reimbursement/reimbursement.entity';
import { reimbursementResolvers } from './reimbursement/reimbursement.resolvers';
import { ReimbursementService } from './reimbursement/reimbursement.service';
import { policies } from './policies';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

export const definition: ServiceDefinition<ReimbursementParts, Context> = {
  name: 'reimbursement',
  policies,
  typeDefs: gql(sdl),
  entities: [ReimbursementEntity],
  migrations: REIMBURSEMENT_MIGRATIONS,
  setup: (runtime) => ({ runtime, reimbursements: new ReimbursementService(runtime) }),
  resolvers: () => ({ ...scalarResolvers, ...reimbursementResolvers }),
  context: createContext,
};
