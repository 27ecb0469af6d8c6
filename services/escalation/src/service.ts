import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, scalarResolvers, type ServiceDefinition, type ServiceRuntime } from '@crm/subgraph';
import { AdvisorEntity } from './advisor/advisor.entity';
import { AdvisorService } from './advisor/advisor.service';
import { createContext, type Context, type Services } from './context';
import { ESCALATION_MIGRATIONS } from './db/migrations/1763900000000-CreateEscalation';
import { AssignmentEntity, EscalationEntity } from './escalation/escalation.entity';
import { EscalationService } from './escalation/escalation.service';
import { resolvers } from './resolvers';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

// one set of services per runtime, shared by every request's context
const services = new WeakMap<ServiceRuntime, Services>();

export const definition: ServiceDefinition<Context> = {
  name: 'escalation',
  typeDefs: gql(sdl),
  entities: [AdvisorEntity, EscalationEntity, AssignmentEntity],
  migrations: ESCALATION_MIGRATIONS,
  resolvers: () => ({ ...scalarResolvers, ...resolvers }),
  context: (base, runtime) => {
    let own = services.get(runtime);
    if (!own) {
      own = { advisors: new AdvisorService(runtime), escalations: new EscalationService(runtime) };
      services.set(runtime, own);
    }
    return createContext(base, own);
  },
};
