import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, scalarResolvers, type ServiceDefinition } from '@crm/subgraph';
import { createContext, type Context } from './context';
import { REIMBURSEMENT_MIGRATIONS } from './db/migrations/1763900000000-CreateRemboursements';
import { ReimbursementEntity } from './reimbursement/reimbursement.entity';
import { reimbursementResolvers } from './reimbursement/reimbursement.resolvers';
import { ReimbursementService } from './reimbursement/reimbursement.service';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

// one service instance per runtime, shared by every request's context
const services = new WeakMap<object, ReimbursementService>();

export const definition: ServiceDefinition<Context> = {
  name: 'reimbursement',
  typeDefs: gql(sdl),
  entities: [ReimbursementEntity],
  migrations: REIMBURSEMENT_MIGRATIONS,
  resolvers: () => ({ ...scalarResolvers, ...reimbursementResolvers }),
  context: (base, runtime) => {
    let service = services.get(runtime);
    if (!service) services.set(runtime, (service = new ReimbursementService(runtime)));
    return createContext(base, service);
  },
};
