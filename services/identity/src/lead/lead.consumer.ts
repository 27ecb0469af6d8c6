// Identity upserts leads from the case events claims publishes (seed 2: the lead is the
// master identity of a partner's prospect; issue 7: no synchronous call between services).
// Runs in the consumer's transaction: the processed-event row, the lead, its link to the case
// (lead_cases, what its erasure tells claims and escalation) and its LeadUpserted event commit
// together, so a redelivery changes nothing. CaseLeadLinked names a case recorded before identity
// kept those links: it is linked to its lead if identity knows the lead, and creates none.
import { rejectEvent, topicForEventType } from '@crm/events';
import { callerOfEvent, ValidationError, type ServiceRuntime } from '@crm/subgraph';
import type { LeadService } from './lead.service';

export const LEADS_CONSUMER = 'identity.leads';

export async function subscribeLeadsToCaseEvents(runtime: ServiceRuntime, leads: LeadService): Promise<void> {
  await runtime.events.subscribe({
    consumer: LEADS_CONSUMER,
    topics: [topicForEventType('CaseEventRecorded', runtime.events.catalog).name],
    types: ['CaseEventRecorded', 'CaseLeadLinked'],
    handler: async (event, manager) => {
      if (event.type === 'CaseLeadLinked') {
        const linked = await leads.linkKnownLead(manager, event.data.leadId, event.data.caseId);
        if (!linked)
          runtime.logger.info(
            { eventId: event.id, caseId: event.data.caseId },
            'older case of no known lead: not linked',
          );
        return;
      }
      if (event.type !== 'CaseEventRecorded') return;
      const { data } = event;
      try {
        const { id } = await leads.upsert(
          {
            email: data.leadId,
            phone: data.phone,
            name: data.name,
            source: data.source,
            at: new Date(data.occurredAt),
          },
          callerOfEvent(LEADS_CONSUMER, event),
          manager,
        );
        // also when the upsert changed nothing (a known lead's new case, the same contact data)
        await leads.linkCase(manager, id, data.caseId);
      } catch (err) {
        // bad data will not get better with retries: straight to the dead-letter topic
        if (err instanceof ValidationError) throw rejectEvent(err.message, err.problems);
        throw err;
      }
    },
  });
}
