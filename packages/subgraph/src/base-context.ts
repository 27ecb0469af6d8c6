// What every request's context starts with, over HTTP and WebSocket alike.
import { randomUUID } from 'node:crypto';
import type { InternalCaller, Principal } from '@crm/auth';
import type { Logger } from '@crm/logging';
import { AuditNotes } from './audit-notes';
import { callerOf, type Caller } from './caller';

export interface BaseContext {
  principal: Principal;
  correlationId: string;
  logger: Logger;
  /** who asked, for the service methods and the events they publish */
  caller: Caller;
  /** what the service methods tell this request's audit records (the changed fields, sealed) */
  audit: AuditNotes;
}

/** The base of every request's context (HTTP and WebSocket alike). */
export function baseContext(from: InternalCaller, logger: Logger): BaseContext {
  const id = from.correlationId ?? randomUUID();
  return {
    principal: from.principal,
    correlationId: id,
    logger: logger.child({ correlationId: id }),
    caller: callerOf({ ...from, correlationId: id }),
    audit: new AuditNotes(),
  };
}
