import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicForEventType } from '@crm/events';
import { gql, scalarResolvers, type ServiceDefinition, type ServiceRuntime } from '@crm/subgraph';
import { AdvisorEntity } from './advisor/advisor.entity';
import { AdvisorService } from './advisor/advisor.service';
import { type Caller } from './caller';
import { createContext, type Context, type Services } from './context';
import { ESCALATION_MIGRATIONS } from './db/migrations';
import { callRequestFrom } from './escalation/call-request';
import { escalationFromRequest } from './escalation/escalation-request';
import { handoffFrom } from './escalation/handoff-request';
import { AssignmentEntity, EscalationEntity } from './escalation/escalation.entity';
import { EscalationService } from './escalation/escalation.service';
import { QueueFeed } from './live/queue-feed';
import { resolvers } from './resolvers';

const sdl = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

/**
 * consumer group (and idempotency key) of what asks for a person: ClaimEscalationRequested
 * (a claim), CaseCallRequested (a partner's CALL_REQUESTED on a case) and HandoffRequested
 * (the bot transferred a conversation)
 */
export const REQUESTS_CONSUMER = 'escalation.requests';
const REQUEST_TYPES = ['ClaimEscalationRequested', 'CaseCallRequested', 'HandoffRequested'] as const;
/**
 * How often waiting entries are offered again to advisors with room. Every trigger (new
 * entry, advisor AVAILABLE, entry resolved) already assigns at once; the sweep only heals a
 * crash between a commit and its after-commit assignment.
 */
export const SWEEP_INTERVAL_MS = 30_000;

const SYSTEM = { sub: 'escalation', roles: ['system' as const] };

// one set of services per runtime, shared by every request's context and the consumers
const services = new WeakMap<ServiceRuntime, Services>();
const sweeps = new Set<NodeJS.Timeout>();

export function servicesOf(runtime: ServiceRuntime): Services {
  let own = services.get(runtime);
  if (!own) {
    const escalations = new EscalationService(runtime);
    const advisors = new AdvisorService(runtime, undefined, (id, caller) =>
      escalations.fillAdvisor(id, caller),
    );
    own = { advisors, escalations, feed: new QueueFeed(runtime) };
    services.set(runtime, own);
  }
  return own;
}

async function sweep(runtime: ServiceRuntime): Promise<void> {
  const caller: Caller = { principal: SYSTEM, correlationId: randomUUID() };
  const assigned = await servicesOf(runtime).escalations.drainQueue(caller);
  if (assigned) runtime.logger.warn({ assigned }, 'the sweep assigned entries a trigger had missed');
}

export const definition: ServiceDefinition<Context> = {
  name: 'escalation',
  typeDefs: gql(sdl),
  entities: [AdvisorEntity, EscalationEntity, AssignmentEntity],
  migrations: ESCALATION_MIGRATIONS,
  resolvers: () => ({ ...scalarResolvers, ...resolvers }),
  context: (base, runtime) => createContext(base, servicesOf(runtime)),
  start: async (runtime) => {
    const { escalations, feed } = servicesOf(runtime);
    await feed.start();
    // one consumer for every request: claims' two on the claims topic, the bot's transfers
    await runtime.events.subscribe({
      consumer: REQUESTS_CONSUMER,
      topics: [...new Set(REQUEST_TYPES.map((type) => topicForEventType(type, runtime.events.catalog).name))],
      types: REQUEST_TYPES,
      handler: async (event, manager) => {
        const caller: Caller = {
          principal: SYSTEM,
          correlationId: event.correlationId,
          causationId: event.id,
        };
        if (event.type === 'ClaimEscalationRequested') {
          const input = escalationFromRequest(event.data);
          // the entry, its EscalationQueued and its assignment commit with the idempotency row
          const entry = await escalations.escalateIn(manager, input, caller);
          // the claim's open entry closed between our insert and our read: retried (backoff)
          if (!entry) throw new Error(`claim ${input.claimId}: open escalation changed, retrying`);
        } else if (event.type === 'CaseCallRequested') {
          const decision = callRequestFrom(event.data, runtime.clock());
          if (decision.kind === 'stale') {
            runtime.logger.info(
              {
                caseId: event.data.caseId,
                eventId: event.id,
                ageHours: Math.round(decision.ageMs / 3_600_000),
              },
              'call request too old to queue: left in the case journal',
            );
            return;
          }
          const entry = await escalations.queueCallRequestIn(manager, decision.input, caller);
          if (!entry) throw new Error(`case ${decision.input.caseId}: open escalation changed, retrying`);
        } else if (event.type === 'HandoffRequested') {
          const decision = handoffFrom(event.data, runtime.clock());
          if (decision.kind !== 'queue') {
            runtime.logger.info(
              { conversationId: event.data.conversationId, eventId: event.id, decision: decision.kind },
              decision.kind === 'claim'
                ? "an escalated claim's transfer: the claim's escalation request queues it"
                : 'transfer too old to queue: nobody is waiting any more',
            );
            return;
          }
          const entry = await escalations.queueHandoffIn(manager, decision.input, caller);
          if (!entry) {
            throw new Error(
              `conversation ${decision.input.conversationId}: open escalation changed, retrying`,
            );
          }
        }
      },
    });
    const run = () => {
      sweep(runtime).catch((err: unknown) => runtime.logger.error({ err }, 'escalation sweep failed'));
    };
    // once now (what a crash left waiting), then periodically
    run();
    const timer = setInterval(run, SWEEP_INTERVAL_MS);
    timer.unref();
    sweeps.add(timer);
  },
  stop: () => {
    for (const timer of sweeps) clearInterval(timer);
    sweeps.clear();
    return Promise.resolve();
  },
};
