import { QueryFailedError } from 'typeorm';
import { type ServiceRuntime, type Caller } from '@crm/subgraph';
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

export class AdvisorService {
  readonly repository: AdvisorRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
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

  async register(input: RegisterAdvisorInput, caller: Caller): Promise<AdvisorView> {
    const now = this.clock();
    let registered: AdvisorView;
    try {
      registered = await this.runtime.dataSource.transaction(async (tx) => {
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
        return advisor;
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

  async setStatus(input: SetAdvisorStatusInput, caller: Caller): Promise<AdvisorView> {
    let changed = false;
    const after = await this.runtime.dataSource.transaction(async (tx) => {
      const [row] = await this.repository.lockByIds(tx, [input.advisorId]);
      if (!row) throw notFound('advisor', input.advisorId);
      const before = toAdvisorView(row);
      const to = input.status;
      if (before.status === to) return before;
      await this.repository.setStatus(tx, row.id, advisorStatus.toDb(to));
      const now = this.clock();
      await this.runtime.events.outbox.publish(
        tx,
        advisorStatusChanged(row.id, before.status, to, caller, now),
      );
      changed = true;
      return { ...before, status: to };
    });
    if (!changed || after.status !== 'AVAILABLE') return after;
    return this.afterRoom(after, caller);
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
