// What every request's context starts with, over HTTP and WebSocket alike.
import { randomUUID } from 'node:crypto';
import type { Principal } from '@crm/auth';
import type { Logger } from '@crm/logging';
import { callerOf, type Caller } from './caller';

export interface BaseContext {
  principal: Principal;
  correlationId: string;
  logger: Logger;
  /** who asked, for the service methods and the events they publish */
  caller: Caller;
}

/** The base of every request's context (HTTP and WebSocket alike). */
export function baseContext(
  principal: Principal,
  correlationId: string | undefined,
  logger: Logger,
): BaseContext {
  const id = correlationId ?? randomUUID();
  return {
    principal,
    correlationId: id,
    logger: logger.child({ correlationId: id }),
    caller: callerOf({ principal, correlationId: id }),
  };
}
