// "Who asked, in which causal chain": one type for the five services. A request through the
// gateway carries the principal (what the caller may do) and its correlation id; a consumer
// acts as the system, in the chain of the event it reacts to. The event envelope's actor,
// correlation and causation come from here, the same way everywhere.
import { randomUUID } from 'node:crypto';
import type { Principal } from '@crm/auth';
import type { Actor, AnyEvent, NewEventOptions } from '@crm/events';
import { actorOf } from './actor';

/** The envelope's limit on ids (correlationId, causationId, actor.id). */
const ID_MAX = 200;

export interface Caller {
  /** what the caller may do (authorization) */
  principal: Principal;
  /** who the events of the change name */
  actor: Actor;
  correlationId: string;
  /** the event this change reacts to (consumers), so the chain can be followed */
  causationId?: string;
  /**
   * the address the request came from, as the gateway saw it (requests only): for counting
   * failures per address. Personal data: never logged, never put in an event.
   */
  clientIp?: string;
}

/** The caller of a request (the gateway's principal and correlation id). */
export function callerOf(request: {
  principal: Principal;
  correlationId: string;
  clientIp?: string;
}): Caller {
  return {
    principal: request.principal,
    actor: actorOf(request.principal),
    correlationId: request.correlationId.slice(0, ID_MAX),
    ...(request.clientIp ? { clientIp: request.clientIp } : {}),
  };
}

/**
 * A consumer's caller: the system, named `consumer`, in the chain of `event` (same correlation,
 * caused by it). `actor` overrides the actor (the partner whose event is journaled, say).
 */
export function callerOfEvent(
  consumer: string,
  event: Pick<AnyEvent, 'id' | 'correlationId'>,
  actor: Actor = { kind: 'system', id: consumer.slice(0, ID_MAX) },
): Caller {
  return {
    principal: { sub: consumer, roles: ['system'] },
    actor,
    correlationId: event.correlationId,
    causationId: event.id,
  };
}

/** The system itself (a timer, a sweep), starting a causal chain of its own. */
export function systemCaller(name: string): Caller {
  return {
    principal: { sub: name, roles: ['system'] },
    actor: { kind: 'system', id: name.slice(0, ID_MAX) },
    correlationId: randomUUID(),
  };
}

/** The envelope options of an event a caller's change publishes. */
export function eventOptions(
  caller: Caller,
  source: string,
  subject: string,
  occurredAt: Date,
): Omit<NewEventOptions, 'id'> & { causationId: string | null } {
  return {
    source,
    subject,
    actor: caller.actor,
    correlationId: caller.correlationId.slice(0, ID_MAX),
    causationId: caller.causationId ?? null,
    occurredAt,
  };
}
