// Partner messages in the partners' own format (schemas/events/partner-inbound.v1.json) with
// the seed 2 payloads, for the ingestion tests.
import { randomUUID } from 'node:crypto';
import { partnerEventId } from '@crm/events';
import { PARTNER_CONSUMER, partnerInboundTopic } from '../src/cases/partner.consumer';
import type { Harness } from './harness';

export type PartnerMessage = Record<string, unknown> & { source: string; source_id: string; email: string };

const PAYLOADS: Record<string, Record<string, unknown>> = {
  AUDIT_COMPLETED: {
    visa_type: 'DTV',
    audit_status: 'VALID',
    confidence_score: 85,
    issues: ['Missing Bank Statement'],
    missing_docs: ['Proof of Address'],
    ready_for_payment: false,
  },
  CALL_REQUESTED: {
    reason: 'case_complexity',
    visa_type: 'DTV',
    user_stage: 'documents_review',
    notes: 'Client needs clarification on tax residence',
  },
  CHAT_SUMMARIZED: {
    executive_summary: 'Dossier solide, un justificatif manque',
    strengths: ['Revenus stables'],
    weaknesses: ['Justificatif de domicile'],
    action_plan: [{ step: 'Envoyer le justificatif', timing: 'J+2' }],
    visa_score: 72,
  },
  APPOINTMENT_BOOKED: {
    provider: 'CALENDLY',
    event_uri: 'https://calendly.com/events/abc',
    start_time: '2026-03-20T14:00:00Z',
    end_time: '2026-03-20T14:30:00Z',
    location: 'Google Meet',
  },
};

export function partnerMessage(
  type: 'AUDIT_COMPLETED' | 'CALL_REQUESTED' | 'CHAT_SUMMARIZED' | 'APPOINTMENT_BOOKED',
  overrides: Record<string, unknown> = {},
): PartnerMessage {
  return {
    type,
    timestamp: '2026-03-01T10:00:00Z',
    source: type === 'APPOINTMENT_BOOKED' ? 'CALENDLY' : 'WEB_CHAT',
    source_id: `session-${randomUUID()}`,
    email: 'lead@example.fr',
    intent: 'DTV',
    site_id: 'siam-visa-pro',
    payload: PAYLOADS[type],
    ...overrides,
  };
}

export const daysAfter = (iso: string, days: number): string =>
  new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();

/** As a partner would publish them on the inbound topic, then applied by the ingestion. */
export async function ingestPartner(h: Harness, ...messages: PartnerMessage[]): Promise<void> {
  await h.transport.send(
    messages.map((m) => ({
      topic: partnerInboundTopic(h.service.runtime),
      key: m.email.toLowerCase(),
      value: JSON.stringify(m),
      headers: {},
    })),
  );
  await h.processed(PARTNER_CONSUMER, ...messages.map((m) => partnerEventId(m.source, m.source_id)));
}
