// The escalation subgraph: advisors (conseillers), the queue of entries and their assignments,
// fed by what asks for a person (requests.consumer.ts), told by the live conversation when an
// advisor let it go or a call-back was offered (conversation.consumer.ts), and watched live
// (live/queue-feed.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devServicePrivacy, servicePrivacyOf, type ServicePrivacy } from '@crm/privacy';
import {
  gql,
  PeriodicTask,
  scalarResolvers,
  systemCaller,
  vaultOf,
  type ServiceDefinition,
} from '@crm/subgraph';
import { AdvisorEntity } from './advisor/advisor.entity';
import { advisorResolvers } from './advisor/advisor.resolvers';
import { AdvisorService } from './advisor/advisor.service';
import { createContext, type Context, type EscalationParts } from './context';
import { escalationMigrations } from './db/migrations';
import { AssignmentEntity, EscalationEntity } from './escalation/escalation.entity';
import { escalationResolvers } from './escalation/escalation.resolvers';
import { EscalationService } from './escalation/escalation.service';
import { subscribeConversation } from './escalation/conversation.consumer';
import { subscribeErasure } from './escalation/erasure.consumer';
import { subscribeRequests } from './escalation/requests.consumer';
import { QueueFeed } from './live/queue-feed';
import { policies } from './policies';

export { CONVERSATION_CONSUMER } from './escalation/conversation.consumer';
export { REQUESTS_CONSUMER } from './escalation/requests.consumer';
export { ERASURE_CONSUMER } from './escalation/erasure.consumer';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

/**
 * How often waiting entries are offered again to advisors with room. Every trigger (new
 * entry, advisor AVAILABLE, entry resolved) already assigns at once; the sweep only heals a
 * crash between a commit and its after-commit assignment.
 */
export const SWEEP_INTERVAL_MS = 30_000;

export interface EscalationSettings {
  /** default SWEEP_INTERVAL_MS */
  sweepIntervalMs?: number;
  /** tests pin the clock (default: the runtime's) */
  clock?: () => Date;
  /** the master key ring of the entries' words and its cache (default: the development ring) */
  privacy?: ServicePrivacy;
}

export function escalationService(
  settings: EscalationSettings = {},
): ServiceDefinition<EscalationParts, Context> {
  const privacy = settings.privacy ?? devServicePrivacy();
  return {
    name: 'escalation',
    privacy,
    policies,
    typeDefs: gql(sdl),
    entities: [AdvisorEntity, EscalationEntity, AssignmentEntity],
    migrations: escalationMigrations(privacy.wrapper),
    setup: (runtime) => {
      const clock = settings.clock ?? runtime.clock;
      // what the queue holds about people: sealed under each entry's key (docs/privacy.md)
      const vault = vaultOf(runtime);
      const escalations = new EscalationService(runtime, vault, clock);
      const advisors = new AdvisorService(runtime, vault, clock, (id, caller) =>
        escalations.fillAdvisor(id, caller),
      );
      const sweep = new PeriodicTask(
        'escalation sweep',
        settings.sweepIntervalMs ?? SWEEP_INTERVAL_MS,
        async () => {
          const assigned = await escalations.drainQueue(systemCaller('escalation.sweep'));
          if (assigned) runtime.logger.warn({ assigned }, 'the sweep assigned entries a trigger had missed');
        },
        runtime.logger,
      );
      return {
        runtime,
        clock,
        vault,
        advisors,
        escalations,
        feed: new QueueFeed(runtime, escalations.repository.cipher),
        sweep,
      };
    },
    resolvers: () => ({
      ...scalarResolvers,
      Query: { ...escalationResolvers.Query, ...advisorResolvers.Query },
      Mutation: { ...escalationResolvers.Mutation, ...advisorResolvers.Mutation },
      Subscription: escalationResolvers.Subscription,
      EscalationConnection: escalationResolvers.EscalationConnection,
      EscalationEntry: escalationResolvers.EscalationEntry,
      Assignment: escalationResolvers.Assignment,
      Case: escalationResolvers.Case,
      Claim: escalationResolvers.Claim,
      Advisor: advisorResolvers.Advisor,
    }),
    context: createContext,
    consumers: async (parts) => {
      await parts.feed.start();
      await subscribeRequests(parts);
      await subscribeConversation(parts);
      await subscribeErasure(parts);
      // once now (what a crash left waiting), then periodically
      parts.sweep.start();
    },
    stop: (parts) => parts.sweep.stop(),
  };
}

export const definition = escalationService();

/** The service as its environment configures it (main.ts, npm start): its master key. */
export const definitionFromEnv = (env: Parameters<typeof servicePrivacyOf>[0]) =>
  escalationService({ privacy: servicePrivacyOf(env) });
