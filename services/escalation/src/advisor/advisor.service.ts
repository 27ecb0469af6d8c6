import type { FieldChange } from '@crm/db';
import type { PersonalDataVault } from '@crm/privacy';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { audited, sealChangedFields, type AuditNotes, type ServiceRuntime, type Caller } from '@crm/subgraph';
import { advisorRegistered, advisorStatusChanged } from './advisor.events';
import { type RegisterAdvisorInput, type SetAdvisorStatusInput } from './advisor.inputs';
import { advisorStatus, toAdvisorView, type AdvisorStatus, type AdvisorView } from './advisor.mapping';
import { AdvisorRepository } from './advisor.repository';
import { escalationError, notFound } from '../errors';

/**
 * Called right after an advisor's change that gives them room for work is committed
 * (registered or set AVAILABLE): automatic assignment (EscalationService.fillAdvisor).
 */
export type OnAdvisorRoom = (advisorId: string, caller: Caller) => Promise<unknown>;

/**
 * What an advisor's audit records keep of a change (docs/security.md, Audit log): who he is, how
 * to reach him, what he handles, his status and his load limit. Advisors are staff, kept in clear
 * in `conseillers`; the audit log holds their values sealed all the same (it holds no value in
 * clear, whatever it is), under a key of the advisor's own: subject his id, `audit.advisor.<field>`.
 */
export const AUDITED_ADVISOR_FIELDS = [
  'name',
  'email',
  'phone',
  'specialty',
  'status',
  'capacity',
] as const satisfies readonly (keyof AdvisorView)[];
const AUDIT_ENTITY = 'advisor';

export class AdvisorService {
  readonly repository: AdvisorRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
    /** the key of each advisor that seals the values of his audit records */
    private readonly vault: PersonalDataVault,
    private readonly clock: () => Date = runtime.clock,
    private readonly onRoom?: OnAdvisorRoom,
  ) {
    this.repository = new AdvisorRepository(runtime.dataSource.manager);
  }

  async byIds(ids: readonly string[]): Promise<AdvisorView[]> {
    return (await this.repository.findByIds(ids)).map(toAdvisorView);
  }

  async list(status?: AdvisorStatus): Promise<AdvisorView[]> {
    return (await this.repository.findAll(status ? advisorStatus.toDb(status) : undefined)).map(
      toAdvisorView,
    );
  }

  /**
   * `audit`: the request's notes, which get what the advisor was registered with, as new values
   * sealed under his key, once the registration has committed.
   */
  async register(input: RegisterAdvisorInput, caller: Caller, audit?: AuditNotes): Promise<AdvisorView> {
    const now = this.clock();
    let registered: AdvisorView;
    try {
      registered = await audited(audit, this.runtime.dataSource, async (tx) => {
        const row = await this.repository.insert(tx, {
          name: input.name,
          email: input.email ?? null,
          phone: input.phone ?? null,
          specialty: input.specialty ?? null,
          status: advisorStatus.toDb(input.status),
          activeClaims: 0,
          capacity: input.capacity,
          createdAt: now,
        });
        const advisor = toAdvisorView(row);
        await this.runtime.events.outbox.publish(tx, advisorRegistered(advisor, caller, now));
        return {
          result: advisor,
          // the record's entity is the result's id: registerAdvisor's input has none
          entityId: advisor.id,
          seal: () => this.auditChanges({}, advisor, tx),
        };
      });
    } catch (err) {
      // the unique index decides, so two concurrent registrations cannot both get the address
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        throw escalationError('ADVISOR.EMAIL_TAKEN', 'another advisor has this e-mail address', {
          field: 'email',
        });
      }
      throw err;
    }
    if (registered.status !== 'AVAILABLE') return registered;
    return this.afterRoom(registered, caller);
  }

  /**
   * `audit`: the request's notes, which get the status, old and new, sealed under the advisor's
   * key, once the change has committed (the entries he then takes are their own records' changes).
   */
  async setStatus(input: SetAdvisorStatusInput, caller: Caller, audit?: AuditNotes): Promise<AdvisorView> {
    let changed = false;
    // the record's entity is the result's id (the input names it advisorId)
    const after = await audited(audit, this.runtime.dataSource, async (tx) => {
      const [row] = await this.repository.lockByIds(tx, [input.advisorId]);
      if (!row) throw notFound('advisor', input.advisorId);
      const before = toAdvisorView(row);
      const to = input.status;
      if (before.status === to) return { result: before, entityId: before.id };
      await this.repository.setStatus(tx, row.id, advisorStatus.toDb(to));
      const now = this.clock();
      await this.runtime.events.outbox.publish(
        tx,
        advisorStatusChanged(row.id, before.status, to, caller, now),
      );
      changed = true;
      const next = { ...before, status: to };
      return { result: next, entityId: next.id, seal: () => this.auditChanges(before, next, tx) };
    });
    if (!changed || after.status !== 'AVAILABLE') return after;
    return this.afterRoom(after, caller);
  }

  /**
   * Each audited field that differs, old and new value sealed under the advisor's key, in the
   * caller's transaction. None when nothing audited changed, or when his key was shredded.
   */
  private auditChanges(
    before: Partial<AdvisorView>,
    after: AdvisorView,
    tx: EntityManager,
  ): Promise<Record<string, FieldChange> | null> {
    return sealChangedFields(this.vault, after.id, AUDIT_ENTITY, before, after, AUDITED_ADVISOR_FIELDS, tx);
  }

  /**
   * Runs the automatic assignment after the commit (EscalationService.afterCommit explains
   * why after), then reads the advisor again so the answer shows the entries just taken.
   */
  private async afterRoom(advisor: AdvisorView, caller: Caller): Promise<AdvisorView> {
    if (!this.onRoom) return advisor;
    try {
      await this.onRoom(advisor.id, caller);
    } catch (err) {
      this.runtime.logger.error({ err, advisorId: advisor.id }, 'automatic assignment after commit failed');
      return advisor;
    }
    const [fresh] = await this.byIds([advisor.id]);
    return fresh ?? advisor;
  }
}
