// Seed 2's ingestion (normalise -> ingest_event -> resolve_case -> project), in the caller's
// transaction: the journal row, the case and its CaseEventRecorded event commit together,
// with the consumer's processed-event row. Also the journal entry of a claim's opening.
import { randomUUID } from 'node:crypto';
import {
  causedBy,
  EventError,
  newEvent,
  identityNotesOf,
  partnerEventId,
  reportIdentityNotes,
  validatePartnerMessage,
  type Actor,
  type EventDataMap,
  type EventEnvelope,
  type PartnerEventType,
} from '@crm/events';
import type { PhoneRegion } from '@crm/contact';
import type { ServiceRuntime } from '@crm/subgraph';
import type { EntityManager } from 'typeorm';
import { decideHolder } from '../assignment/assignment.rules';
import { claimsError } from '../errors';
import type { CaseEntity } from './case.entity';
import type { CaseRepository } from './case.repository';
import { legacySessionOf } from './legacy.rules';
import {
  CALL_BACK_SLA_MS,
  NEW_CASE_STATUS,
  projectCase,
  resolveCase,
  type CaseKey,
  type CaseProjection,
  type JournalEvent,
  type JournalEventType,
} from './case.rules';

/** The partners' messages sent over HTTP (ingestPartnerMessage), as the metrics name them. */
export const PARTNER_HTTP_INGESTION = 'claims.partner-http';

/** The source of the journal entries this service writes itself (event id = sha256(source + claim id)). */
export const CLAIMS_JOURNAL_SOURCE = 'claims';
/** The journal entry of the stall timer (« Délai > 5 jours »). */
export const DELAY_JOURNAL_TYPE = 'DELAY_EXCEEDED' satisfies JournalEventType;

export interface IngestResult {
  /** null for a replay */
  caseId: string | null;
  /** false: the event was already in the journal (a replay), nothing was written */
  recorded: boolean;
  createdCase: boolean;
}

const projectionOf = (c: CaseEntity): CaseProjection => ({
  status: c.status,
  lastEventAt: c.lastEventAt,
  nextActionAt: c.nextActionAt,
  confidenceScore: c.confidenceScore,
});

function journalEventOf(event: EventEnvelope<PartnerEventType>, timestamp: Date): JournalEvent {
  switch (event.type) {
    case 'AUDIT_COMPLETED':
      return { type: event.type, timestamp, payload: event.data.payload };
    case 'CALL_REQUESTED':
      return { type: event.type, timestamp, payload: event.data.payload };
    case 'CHAT_SUMMARIZED':
      return { type: event.type, timestamp, payload: event.data.payload };
    case 'APPOINTMENT_BOOKED':
      return { type: event.type, timestamp, payload: event.data.payload };
  }
}

const NOTES_MAX = 2000;
const STAGE_MAX = 200;
const REASON_MAX = 200;

/**
 * A lead asked for an expert call (seed 2, CallPayload): the request the escalation queue
 * makes an entry of. Free texts are cut to the event's limits (the partner schema does not
 * bound them); the call-back deadline is the case's next_action_at for the request.
 */
export function callRequestOf(
  data: EventEnvelope<'CALL_REQUESTED'>['data'],
  caseId: string,
  lead: { email: string; phone: string | null; name: string | null },
  eventId: string,
  at: Date,
): EventDataMap['CaseCallRequested'] {
  const { reason, user_stage: stage, notes } = data.payload;
  return {
    caseId,
    leadId: lead.email,
    name: lead.name,
    phone: lead.phone,
    intent: data.intent,
    siteId: data.site_id,
    eventId,
    reason: reason.trim().slice(0, REASON_MAX) || 'user_request',
    ...(stage.trim() ? { userStage: stage.trim().slice(0, STAGE_MAX) } : {}),
    ...(notes.trim() ? { notes: notes.trim().slice(0, NOTES_MAX) } : {}),
    requestedAt: at.toISOString(),
    callBackBy: new Date(at.getTime() + CALL_BACK_SLA_MS).toISOString(),
  };
}

/** Where partners' national phone numbers are read: per source, else the fallback (FR). */
export interface PartnerPhoneRegions {
  fallback: PhoneRegion;
  bySource: Readonly<Record<string, PhoneRegion>>;
}

export interface CaseJournalSettings {
  /** seed 2's migration step 1: also keep the legacy audit_sessions shape (LEGACY_DUAL_WRITE) */
  legacyDualWrite?: boolean;
  /** where partners' national phone numbers are read (as the partner topic's consumer reads them) */
  phoneRegions?: PartnerPhoneRegions;
}

export class CaseJournal {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly cases: CaseRepository,
    private readonly settings: CaseJournalSettings = {},
  ) {}

  /**
   * A partner's message received over HTTP (Mutation.ingestPartnerMessage): decoded and validated
   * as the partner topic's consumer decodes it (the person normalized, national phones in the
   * source's region), then journaled in a transaction of its own. It never passes through Kafka,
   * where it would sit as sent, in clear (docs/privacy.md). A partner sends only its own source's
   * messages.
   */
  async receivePartnerMessage(
    message: unknown,
    sender: { source: string } | 'system',
  ): Promise<{ id: string; caseId: string | null; recorded: boolean }> {
    const regions = this.settings.phoneRegions ?? { fallback: 'FR', bySource: {} };
    let event: EventEnvelope<PartnerEventType>;
    try {
      event = validatePartnerMessage(message, {
        phoneRegion: (source) => regions.bySource[source] ?? regions.fallback,
      }) as EventEnvelope<PartnerEventType>;
    } catch (err) {
      if (!(err instanceof EventError)) throw err;
      throw claimsError('CASE.PARTNER_MESSAGE_INVALID', err.message, { code: err.code });
    }
    if (sender !== 'system' && event.source !== sender.source)
      throw claimsError(
        'CASE.PARTNER_SOURCE_MISMATCH',
        `a partner authenticated as ${sender.source} sends only its own messages`,
      );
    const result = await this.runtime.dataSource.transaction((tx) => this.ingestPartnerEvent(tx, event));
    // counted and logged as the topic consumer's are, under this path's name, once applied
    if (result.recorded)
      reportIdentityNotes(this.runtime.events.metrics, this.runtime.logger, PARTNER_HTTP_INGESTION, event);
    return { id: event.id, caseId: result.caseId, recorded: result.recorded };
  }

  async ingestPartnerEvent(
    manager: EntityManager,
    event: EventEnvelope<PartnerEventType>,
  ): Promise<IngestResult> {
    const data = event.data;
    // the partner decoder normalized the person (@crm/events partner.ts): e-mail, E.164, name
    const lead = { email: data.email, phone: data.phone ?? null, name: data.name ?? null };
    const key: CaseKey = { leadId: lead.email, intent: data.intent, siteId: data.site_id };
    const at = new Date(data.timestamp);
    // the journal key is the seed's, whatever id the message came with
    const eventId = partnerEventId(event.source, data.source_id);

    await this.cases.lockKey(manager, key);
    const journaled = await this.cases.eventExists(manager, eventId);
    if (journaled) return { caseId: null, recorded: false, createdCase: false };

    const candidates = await this.cases.candidates(manager, key, at);
    const found = resolveCase(
      // the candidates are the key's (found by its lead's blind index)
      candidates.map((c) => ({ ...c, leadId: key.leadId, siteId: c.siteId ?? '' })),
      { ...key, at },
    );
    const target =
      (found && candidates.find((c) => c.id === found.id)) ??
      (await this.cases.insertCase(manager, {
        ...key,
        id: randomUUID(),
        status: NEW_CASE_STATUS,
        createdAt: at,
      }));
    const createdCase = !found;

    await this.cases.insertEvent(manager, {
      id: eventId,
      caseId: target.id,
      type: event.type,
      timestamp: at,
      source: event.source,
      sourceId: data.source_id,
      payload: data.payload,
      summary: data.summary ?? null,
      notes: identityNotesOf(event),
    });
    await this.project(manager, target, journalEventOf(event, at));
    if (this.settings.legacyDualWrite) {
      // the legacy reader's shape, in the same transaction (legacy.rules.ts)
      const session = legacySessionOf(await this.cases.legacySession(manager, target.id), {
        caseId: target.id,
        caseCreatedAt: target.createdAt,
        type: event.type,
        at,
        email: lead.email,
        phone: lead.phone,
        name: lead.name,
        intent: key.intent,
        siteId: key.siteId,
        payload: data.payload,
      });
      if (session) await this.cases.saveLegacySession(manager, session);
    }

    await this.runtime.events.outbox.publish(
      manager,
      newEvent(
        'CaseEventRecorded',
        {
          caseId: target.id,
          leadId: lead.email,
          phone: lead.phone,
          name: lead.name,
          intent: key.intent,
          siteId: key.siteId,
          eventId,
          eventType: event.type,
          source: event.source,
          occurredAt: at.toISOString(),
          createdCase,
        },
        // keyed by the case, not by the lead's e-mail: a Kafka key is never sealed
        { source: 'claims', subject: target.id, actor: event.actor, ...causedBy(event) },
      ),
    );
    if (event.type === 'CALL_REQUESTED') {
      await this.runtime.events.outbox.publish(
        manager,
        newEvent('CaseCallRequested', callRequestOf(event.data, target.id, lead, eventId, at), {
          source: 'claims',
          subject: target.id,
          actor: event.actor,
          ...causedBy(event),
        }),
      );
    }
    return { caseId: target.id, recorded: true, createdCase };
  }

  /** The claim's opening in its case's journal (CLAIM_OPENED), projected like any event. */
  async journalClaimOpening(
    manager: EntityManager,
    caseId: string,
    claim: { id: string; payload: Record<string, unknown> },
    at: Date,
    actor: Actor,
  ): Promise<void> {
    const target = await this.cases.lockCase(manager, caseId);
    if (!target) throw new Error(`case ${caseId} disappeared while a claim was opened in it`);
    const inserted = await this.cases.insertEvent(manager, {
      id: partnerEventId(CLAIMS_JOURNAL_SOURCE, claim.id),
      caseId,
      type: 'CLAIM_OPENED',
      timestamp: at,
      source: CLAIMS_JOURNAL_SOURCE,
      sourceId: claim.id,
      payload: { ...claim.payload, actor },
      summary: null,
    });
    if (inserted) await this.project(manager, target, { type: 'CLAIM_OPENED', timestamp: at, payload: {} });
  }

  /**
   * The stall timer's entry (DELAY_EXCEEDED) on the claim's case timeline, once per claim
   * (event id = sha256('claims' + claim id + ':DELAY_EXCEEDED'): a second write is a no-op).
   * Not projected: a stall is the absence of activity, so the case's status and last_event_at
   * (the merge window, "most recently active") stay as they were.
   */
  async journalClaimDelay(
    manager: EntityManager,
    caseId: string,
    claim: { id: string; payload: Record<string, unknown> },
    at: Date,
    actor: Actor,
  ): Promise<boolean> {
    const sourceId = `${claim.id}:${DELAY_JOURNAL_TYPE}`;
    return this.cases.insertEvent(manager, {
      id: partnerEventId(CLAIMS_JOURNAL_SOURCE, sourceId),
      caseId,
      type: DELAY_JOURNAL_TYPE,
      timestamp: at,
      source: CLAIMS_JOURNAL_SOURCE,
      sourceId,
      payload: { ...claim.payload, actor },
      summary: null,
    });
  }

  /**
   * AdvisorAssigned of a case's call-request entry, in the consumer's transaction: the advisor
   * who took it owns the case (owner_uid), a reassignment replaces him, an older assignment
   * delivered late changes nothing (decideHolder). Not journaled (the journal keeps the lead's
   * and the claims' events; the queue's history is Case.escalation) and no event: nothing
   * consumes a case's owner. Returns false when this service has no such case.
   */
  async assignOwner(
    manager: EntityManager,
    caseId: string,
    assignment: { advisorId: string; assignedAt: Date },
  ): Promise<boolean> {
    const target = await this.cases.lockCase(manager, caseId);
    if (!target) return false;
    const holder = decideHolder(
      { advisorId: target.ownerUid, assignedAt: target.ownerAssignedAt },
      assignment,
    );
    if (holder.kind === 'set')
      await this.cases.setOwner(manager, caseId, assignment.advisorId, assignment.assignedAt);
    return true;
  }

  private async project(manager: EntityManager, target: CaseEntity, event: JournalEvent): Promise<void> {
    const before = projectionOf(target);
    const after = projectCase(before, event);
    if (after !== before) await this.cases.saveProjection(manager, target.id, after);
  }
}
