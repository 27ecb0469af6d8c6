import { type Principal } from '@crm/auth';
import { actorOf } from './actor';
import { type EventContext } from './events';

/** Who asked, as the service methods need it (the request context, without the transport). */
export interface Caller {
  principal: Principal;
  correlationId: string;
  /** the event this change reacts to (consumers), so the chain can be followed */
  causationId?: string;
}

export const eventContext = (caller: Caller, now: Date): EventContext => ({
  actor: actorOf(caller.principal),
  correlationId: caller.correlationId,
  ...(caller.causationId ? { causationId: caller.causationId } : {}),
  now,
});
