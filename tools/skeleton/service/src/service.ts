// The sample subgraph: widgets. The composition every service follows (docs/architecture.md,
// "A service, from the inside"): setup builds the parts once, everything else receives them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gql, scalarResolvers, type ServiceDefinition } from '@crm/subgraph';
import { createContext, type SampleContext, type SampleParts } from './context';
import { SAMPLE_MIGRATIONS } from './db/migrations/1700000000000-CreateWidgets';
import { WidgetEntity } from './widget/widget.entity';
import { widgetResolvers } from './widget/widget.resolvers';
import { WidgetService } from './widget/widget.service';
import { policies } from './policies';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

export const definition: ServiceDefinition<SampleParts, SampleContext> = {
  name: 'sample',
  policies,
  typeDefs: gql(sdl),
  entities: [WidgetEntity],
  migrations: SAMPLE_MIGRATIONS,
  setup: (runtime) => ({ runtime, widgets: new WidgetService(runtime) }),
  resolvers: (parts) => {
    const widget = widgetResolvers(parts);
    return {
      ...scalarResolvers,
      Query: { ...widget.Query },
      Mutation: { ...widget.Mutation },
      Widget: widget.Widget,
    };
  },
  context: createContext,
  // consumers(parts): subscribe this service's *.consumer.ts here and start its timers;
  // stop(parts): stop the timers. Neither keeps anything at module level.
};
