// Seed 2's partner events (AUDIT_COMPLETED, CALL_REQUESTED, CHAT_SUMMARIZED,
// APPOINTMENT_BOOKED) from the partner inbound topic. The backbone decodes the partners'
// own format (partner-inbound.v1.json) into envelopes whose id is sha256(source + source_id),
// the person normalized, and dead-letters what fails validation; this consumer journals the rest.
import { type EventConsumer, type EventEnvelope, type PartnerEventType, type TopicSpec } from '@crm/events';
import type { ServiceRuntime } from '@crm/subgraph';
import type { CaseJournal, PartnerPhoneRegions } from './case.service';
import { PARTNER_EVENT_TYPES } from './case.rules';

export const PARTNER_CONSUMER = 'claims.partner-ingestion';

/** The catalog's partner-format topic (crm.partner.inbound.v1, namespaced in tests), with its dead letters'. */
export function partnerTopicSpec(runtime: ServiceRuntime): TopicSpec {
  const spec = runtime.events.catalog.topics.find((t) => t.format === 'partner');
  if (!spec) throw new Error('the topic catalog has no partner inbound topic');
  return spec;
}

export const partnerInboundTopic = (runtime: ServiceRuntime): string => partnerTopicSpec(runtime).name;

const isPartnerEvent = (type: string): type is PartnerEventType =>
  (PARTNER_EVENT_TYPES as readonly string[]).includes(type);

export function subscribePartnerIngestion(
  runtime: ServiceRuntime,
  journal: CaseJournal,
  regions: PartnerPhoneRegions = { fallback: 'FR', bySource: {} },
): Promise<EventConsumer> {
  return runtime.events.subscribe({
    consumer: PARTNER_CONSUMER,
    topics: [partnerInboundTopic(runtime)],
    types: [...PARTNER_EVENT_TYPES],
    // seed 2 step 2: the decoder normalizes the person, national phones in the source's region
    partner: { phoneRegion: (source) => regions.bySource[source] ?? regions.fallback },
    handler: async (event, manager) => {
      if (!isPartnerEvent(event.type)) return;
      await journal.ingestPartnerEvent(manager, event as EventEnvelope<PartnerEventType>);
    },
  });
}
