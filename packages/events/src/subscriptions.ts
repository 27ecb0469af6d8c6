// The one declared list of who consumes what (issue 19): every consumer group a service
// subscribes, and the event types it reads. A service can subscribe only what is declared here
// (startService in @crm/subgraph checks each subscribe against it), so this list is the code's
// truth, and docs/architecture.md's "consumes" column and docs/events.md's consumer groups are
// checked against it (subscriptions.spec.ts).
import { EventError } from './errors';
import { EVENT_DOMAINS, LATEST_VERSIONS, PERSONAL_DATA, type EventType } from './generated/schemas.generated';

export interface SubscriptionSpec {
  /**
   * the consumer group (and idempotency key), as the service names it (EVENT_NAMESPACE is added
   * by startService); for an ephemeral feed, the prefix each process completes with its own id
   */
  consumer: string;
  /** the service that subscribes it */
  service: string;
  /** the event types it reads (a subscription may read fewer, never others) */
  types: readonly EventType[];
  /** one group per process, deleted when it stops, no idempotency rows (docs/events.md) */
  ephemeral?: boolean;
}

const PARTNER_TYPES = ['AUDIT_COMPLETED', 'CALL_REQUESTED', 'CHAT_SUMMARIZED', 'APPOINTMENT_BOOKED'] as const;

export const SUBSCRIPTION_CATALOG: readonly SubscriptionSpec[] = [
  { service: 'identity', consumer: 'identity.leads', types: ['CaseEventRecorded', 'CaseLeadLinked'] },
  {
    service: 'identity',
    consumer: 'identity.erasures',
    types: [
      'ConversationsErased',
      'ClaimsErased',
      'EscalationEntriesErased',
      'ReimbursementsErased',
      'LeadCasesErased',
      'LeadCallRequestsErased',
    ],
  },
  { service: 'claims', consumer: 'claims.intake', types: ['IntakeCompleted'] },
  { service: 'claims', consumer: 'claims.partner-ingestion', types: PARTNER_TYPES },
  { service: 'claims', consumer: 'claims.assignments', types: ['AdvisorAssigned'] },
  {
    service: 'claims',
    consumer: 'claims.lifecycle',
    types: ['EscalationStarted', 'ReimbursementAccepted', 'ReimbursementSettled', 'ReimbursementRejected'],
  },
  { service: 'claims', consumer: 'claims.erasure', types: ['ClientErased', 'LeadErased'] },
  {
    service: 'conversation',
    consumer: 'conversation.directory',
    types: [
      'ClientRegistered',
      'ClientUpdated',
      'ClientErased',
      'ClientPinChanged',
      'ContractIssued',
      'ClaimOpened',
      'ClaimStatusChanged',
      'ClaimArchived',
    ],
  },
  { service: 'conversation', consumer: 'conversation.claim-links', types: ['ClaimOpened'] },
  {
    service: 'conversation',
    consumer: 'conversation.handoff',
    types: ['EscalationQueued', 'AdvisorAssigned', 'EscalationResolved'],
  },
  {
    service: 'conversation',
    consumer: 'conversation.live.',
    ephemeral: true,
    types: [
      'MessageRecorded',
      'ConversationOwnershipChanged',
      'ParticipantTyping',
      'MessageAudioReady',
      'EscalationQueued',
      'AdvisorAssigned',
      'EscalationResolved',
    ],
  },
  {
    service: 'reimbursement',
    consumer: 'reimbursement.known-claims',
    types: ['ClaimOpened', 'ClaimStatusChanged'],
  },
  { service: 'reimbursement', consumer: 'reimbursement.known-contracts', types: ['ContractIssued'] },
  { service: 'reimbursement', consumer: 'reimbursement.erasure', types: ['ClientErased'] },
  {
    service: 'escalation',
    consumer: 'escalation.requests',
    types: ['ClaimEscalationRequested', 'CaseCallRequested', 'HandoffRequested'],
  },
  {
    service: 'escalation',
    consumer: 'escalation.conversation',
    types: ['ConversationOwnershipChanged', 'CallBackOffered'],
  },
  { service: 'escalation', consumer: 'escalation.erasure', types: ['ClientErased', 'LeadErased'] },
  {
    service: 'escalation',
    consumer: 'escalation.live.',
    ephemeral: true,
    types: ['EscalationQueued', 'AdvisorAssigned', 'EscalationStarted', 'EscalationResolved'],
  },
];

/** The declared subscription a consumer name belongs to (an ephemeral one by its prefix). */
export function declaredSubscription(
  service: string,
  consumer: string,
  catalog: readonly SubscriptionSpec[] = SUBSCRIPTION_CATALOG,
): SubscriptionSpec | undefined {
  return catalog.find(
    (s) => s.service === service && (s.ephemeral ? consumer.startsWith(s.consumer) : consumer === s.consumer),
  );
}

/**
 * Refuses a subscription the catalog does not declare for this service, or one reading a type
 * its declaration does not list (EVENT.UNDECLARED_SUBSCRIPTION): the catalog stays the truth.
 */
export function assertDeclaredSubscription(
  service: string,
  options: { consumer: string; types?: readonly string[] | undefined; ephemeral?: boolean | undefined },
  catalog: readonly SubscriptionSpec[] = SUBSCRIPTION_CATALOG,
): SubscriptionSpec {
  const spec = declaredSubscription(service, options.consumer, catalog);
  if (!spec || (spec.ephemeral ?? false) !== (options.ephemeral ?? false))
    throw new EventError(
      'EVENT.UNDECLARED_SUBSCRIPTION',
      `${service} subscribes ${options.consumer}, which SUBSCRIPTION_CATALOG (packages/events/src/subscriptions.ts) does not declare`,
    );
  if (!options.types)
    throw new EventError(
      'EVENT.UNDECLARED_SUBSCRIPTION',
      `${options.consumer} must name the types it reads (declared: ${spec.types.join(', ')})`,
    );
  const extra = options.types.filter((t) => !(spec.types as readonly string[]).includes(t));
  if (extra.length)
    throw new EventError(
      'EVENT.UNDECLARED_SUBSCRIPTION',
      `${options.consumer} reads ${extra.join(', ')}, which its declaration does not list`,
    );
  return spec;
}

/**
 * Whether `consumer` (a service) reads an event of `producer` (a service, its events' domain)
 * that carries personal fields: the only services a producer releases its keys to
 * (docs/privacy.md, Events). Every version counts, history being read too.
 */
export function readsPersonalEventsOf(
  consumer: string,
  producer: string,
  catalog: readonly SubscriptionSpec[] = SUBSCRIPTION_CATALOG,
): boolean {
  const personal = (type: EventType) =>
    Array.from({ length: LATEST_VERSIONS[type] }, (_, i) => `${type}.v${i + 1}`).some(
      (k) => k in PERSONAL_DATA,
    );
  return catalog.some(
    (s) => s.service === consumer && s.types.some((t) => EVENT_DOMAINS[t] === producer && personal(t)),
  );
}
