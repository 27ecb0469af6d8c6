import type { EntityManager } from 'typeorm';
import { ValidationError } from '@crm/subgraph';
import type { Caller } from '@crm/subgraph';
import { normalizeEmail } from '@crm/contact';
import type { IdentityDeps } from '../shared/deps';
import type { LeadEntity } from './lead.entity';
import { leadUpserted } from './lead.events';
import { LeadRepository } from './lead.repository';
import { mergeLead, normalizeLeadTouch, type LeadState, type LeadTouchInput } from './lead.rules';

export interface LeadUpsertResult {
  lead: LeadState;
  created: boolean;
  /** false for a touch that adds nothing (e.g. the same case event delivered twice): no event */
  changed: boolean;
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
    const email = normalizeEmail(raw, 200);
    if (email === null)
      throw new ValidationError([{ field: 'email', message: 'must be a valid e-mail address' }]);
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
        return { lead: fresh.next, created: true, changed: true };
      }
      // a concurrent first touch inserted it meanwhile: merge into that one
      return this.upsertIn(manager, touch, caller);
    }
    const { next, changed } = mergeLead(existing.lead, touch);
    if (changed) {
      await this.leads.update(manager, existing.id, next);
      await this.deps.outbox.publish(manager, leadUpserted(existing.id, next, false, caller, now));
    }
    return { lead: changed ? next : toState(existing.lead), created: false, changed };
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
