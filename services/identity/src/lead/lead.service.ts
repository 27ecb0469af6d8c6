import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isUuid, ValidationError } from '@crm/subgraph';
import type { Caller } from '@crm/subgraph';
import { normalizeEmail } from '@crm/contact';
import type { IdentityDeps } from '../shared/deps';
import type { LeadEntity } from './lead.entity';
import { leadErased, leadUpserted } from './lead.events';
import { LeadRepository } from './lead.repository';
import { leadErasureOf } from '../erasure/erasure.consumer';
import { leadErasureProgress, type LeadErasureView } from '../erasure/erasure.rules';
import { caseChunks, mergeLead, normalizeLeadTouch, type LeadState, type LeadTouchInput } from './lead.rules';

export interface LeadUpsertResult {
  /** the lead's record (its data key's subject) */
  id: string;
  lead: LeadState;
  created: boolean;
  /** false for a touch that adds nothing (e.g. the same case event delivered twice): no event */
  changed: boolean;
}

/** What eraseLead answers. */
export interface LeadErasure {
  /** false when no lead had the e-mail: nothing erased, no event */
  erased: boolean;
  /** how many cases of the lead were told (LeadErased) */
  cases: number;
  /** the erased lead's record, whose erasure Query.leadErasure follows; null when none */
  id: string | null;
}

/** A lead's e-mail as given (a query's, a mutation's argument): lower case, or VALIDATION.FAILED. */
function emailOf(raw: string): string {
  const email = normalizeEmail(raw, 200);
  if (email === null)
    throw new ValidationError([{ field: 'email', message: 'must be a valid e-mail address' }]);
  return email;
}

export class LeadService {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly leads = new LeadRepository(deps.dataSource.manager, deps.vault),
  ) {}

  findByEmails(emails: readonly string[]): Promise<LeadEntity[]> {
    return this.leads.findByEmails(emails);
  }

  find(raw: string): Promise<LeadEntity | null> {
    const email = emailOf(raw);
    return this.leads.findByEmails([email]).then((rows) => rows[0] ?? null);
  }

  /**
   * Creates or updates the lead of one interaction and publishes LeadUpserted when it changed.
   * Idempotent (a replay changes nothing), and a late, older interaction never rolls
   * updated_at back (mergeLead). Pass the consumer's transaction as `manager` so that the
   * lead, its event and the consumer's processed mark commit together.
   */
  async upsert(input: LeadTouchInput, caller: Caller, manager?: EntityManager): Promise<LeadUpsertResult> {
    const touch = normalizeLeadTouch(input);
    if (!manager) return this.deps.dataSource.transaction((tx) => this.upsertIn(tx, touch, caller));
    return this.upsertIn(manager, touch, caller);
  }

  private async upsertIn(
    manager: EntityManager,
    touch: ReturnType<typeof normalizeLeadTouch>,
    caller: Caller,
  ): Promise<LeadUpsertResult> {
    const now = this.deps.clock();
    // a known lead first: a data key is made only for a lead that is new
    const existing = await this.leads.findForUpdate(manager, touch.email);
    if (!existing) {
      const fresh = mergeLead(null, touch);
      const id = await this.leads.insertIfAbsent(manager, fresh.next);
      if (id) {
        await this.deps.outbox.publish(manager, leadUpserted(id, fresh.next, true, caller, now));
        return { id, lead: fresh.next, created: true, changed: true };
      }
      // a concurrent first touch inserted it meanwhile: merge into that one
      return this.upsertIn(manager, touch, caller);
    }
    const { next, changed } = mergeLead(existing.lead, touch);
    if (changed) {
      await this.leads.update(manager, existing.id, next);
      await this.deps.outbox.publish(manager, leadUpserted(existing.id, next, false, caller, now));
    }
    return { id: existing.id, lead: changed ? next : toState(existing.lead), created: false, changed };
  }

  /**
   * Links the lead (its record, as upsert answers it) to one of its partner cases, in the
   * caller's transaction (the consumer's: with the upsert). Idempotent: a replay adds nothing.
   */
  linkCase(manager: EntityManager, leadId: string, caseId: string): Promise<void> {
    return this.leads.linkCase(manager, leadId, caseId);
  }

  /**
   * Links a case recorded before identity kept links (CaseLeadLinked) to the lead of `email`, when
   * there is one (locked: an erasure running at once either sees the link or finds no lead here);
   * none: nothing to link, the lead is gone or never was. Whether it linked.
   */
  async linkKnownLead(manager: EntityManager, raw: string, caseId: string): Promise<boolean> {
    const email = normalizeEmail(raw, 200);
    if (email === null) return false;
    const lead = await this.leads.findForUpdate(manager, email);
    if (!lead) return false;
    await this.leads.linkCase(manager, lead.id, caseId);
    return true;
  }

  /**
   * eraseLead (GDPR), for a lead who is not a client (a client's erasure takes the lead of his
   * e-mail with it): the lead is deleted and its key shredded, and LeadErased events tell its
   * cases to claims and escalation (one per CASES_PER_EVENT cases, one without cases for a lead
   * who has none, so that the erasure is on record), all in one transaction. Every event carries
   * the e-mail's digest, under which claims sealed the partners' messages it could not apply (dead
   * letters): an e-mail no lead has (every message of it was refused) still gets one event, under
   * an erasure id of its own, so that those are shredded too and the erasure can be followed.
   */
  async erase(raw: string, caller: Caller): Promise<LeadErasure> {
    const email = emailOf(raw);
    const now = this.deps.clock();
    const erased = await this.deps.dataSource.transaction(async (manager) => {
      const lead = await this.leads.erase(manager, email);
      const id = lead?.id ?? randomUUID();
      const caseIds = lead?.caseIds ?? [];
      const events = caseChunks(caseIds).map((chunk) => leadErased(id, email, chunk, null, caller, now));
      await this.deps.outbox.publish(manager, events);
      // the erasure on record for its progress: each event is proven by each service holding cases
      await this.leads.recordErasure(manager, id, now, events.length, caseIds.length);
      return { id, cases: caseIds.length, known: lead !== null };
    });
    // a read between the shred and the commit may have cached the key again
    if (erased.known) this.deps.vault.forget(erased.id);
    return { erased: erased.known, cases: erased.cases, id: erased.id };
  }

  /** How far a lead's erasure has gone (supervisors); null when identity erased no such lead. */
  async erasure(leadRecordId: string): Promise<LeadErasureView | null> {
    // any other id names no erasure (and would not cast to uuid)
    if (!isUuid(leadRecordId)) return null;
    const found = await leadErasureOf(this.deps.dataSource.manager, leadRecordId.toLowerCase());
    return found && leadErasureProgress(found.erasure, found.receipts);
  }
}

const toState = (e: LeadEntity): LeadState => ({
  email: e.email,
  phone: e.phone,
  name: e.name,
  source: e.source,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  phoneAt: e.phoneAt,
  nameAt: e.nameAt,
});
