// The advisor events this service publishes, built from rows as written (schemas/events/escalation).
import { newEvent, type AnyEvent } from '@crm/events';
import { type Caller } from '@crm/subgraph';
import { options } from '../shared/events';
import { type AdvisorStatus, type AdvisorView } from './advisor.mapping';

export function advisorRegistered(advisor: AdvisorView, by: Caller, at: Date): AnyEvent {
  return newEvent(
    'AdvisorRegistered',
    {
      advisorId: advisor.id,
      name: advisor.name,
      status: advisor.status,
      capacity: advisor.capacity,
      ...(advisor.specialty ? { specialty: advisor.specialty } : {}),
    },
    options(advisor.id, by, at),
  );
}

export function advisorStatusChanged(
  advisorId: string,
  from: AdvisorStatus,
  to: AdvisorStatus,
  by: Caller,
  at: Date,
): AnyEvent {
  return newEvent('AdvisorStatusChanged', { advisorId, from, to }, options(advisorId, by, at));
}
