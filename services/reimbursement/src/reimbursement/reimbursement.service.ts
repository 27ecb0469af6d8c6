import { type EntityManager } from 'typeorm';
import { assertNotStale, type Caller, type ServiceRuntime } from '@crm/subgraph';
import { KnownClaimRepository } from '../claim/claim.repository';
import { type ReimbursementEntity } from './reimbursement.entity';
import { reimbursementChanged, reimbursementCreated } from './reimbursement.events';
import { type CreateReimbursementInput, type UpdateReimbursementInput } from './reimbursement.inputs';
import {
  paymentMethodToDb,
  statusToDb,
  toView,
  type ClaimRef,
  type ReimbursementView,
} from './reimbursement.mapping';
import { ReimbursementRepository, type ReimbursementWithClient } from './reimbursement.repository';
import { decideUpdate, newReimbursement, type ReimbursementState } from './reimbursement.rules';
import { notFound } from '../errors';

export class ReimbursementService {
  readonly repository: ReimbursementRepository;

  constructor(
    private readonly runtime: ServiceRuntime,
    // millisecond precision, like every instant this service writes
    private readonly clock: () => Date = runtime.clock,
    /** the claims this service knows: whose claim a reimbursement is */
    private readonly knownClaims = new KnownClaimRepository(runtime.dataSource.manager),
  ) {
    this.repository = new ReimbursementRepository(runtime.dataSource.manager);
  }

  async byIds(ids: readonly string[]): Promise<ReimbursementView[]> {
    return (await this.repository.findByIds(ids)).map(viewOf);
  }

  async byClaimIds(claimIds: readonly string[]): Promise<ReimbursementView[]> {
    return (await this.repository.findByClaimIds(claimIds)).map(viewOf);
  }

  /** Claim references as this subgraph resolves them: only the claims known here have an owner. */
  async claimRefs(claimIds: readonly string[]): Promise<ClaimRef[]> {
    return (await this.knownClaims.findByIds(claimIds)).map((c) => ({ id: c.claimId, clientId: c.clientId }));
  }

  async create(input: CreateReimbursementInput, caller: Caller): Promise<ReimbursementView> {
    const now = this.clock();
    const state = newReimbursement({
      amountClaimed: input.amountClaimed,
      ...(input.paymentMethod ? { paymentMethod: input.paymentMethod } : {}),
    });
    return this.runtime.dataSource.transaction(async (tx) => {
      const row = await this.repository.insert(tx, {
        claimId: input.claimId,
        ...toColumns(state),
        createdAt: now,
        updatedAt: now,
      });
      const view = toView(row, await this.knownClaims.clientOf(row.claimId, tx));
      await this.publish(tx, reimbursementCreated(view, caller, now));
      return view;
    });
  }

  async update(input: UpdateReimbursementInput, caller: Caller): Promise<ReimbursementView> {
    const { id, expectedUpdatedAt, ...patch } = input;
    return this.runtime.dataSource.transaction(async (tx) => {
      const row = await this.repository.findForUpdate(tx, id);
      if (!row) throw notFound('reimbursement', id);
      assertNotStale(expectedUpdatedAt, row.updatedAt, { entity: 'reimbursement', id });
      const before = toView(row, await this.knownClaims.clientOf(row.claimId, tx));
      const now = this.clock();
      const decision = decideUpdate(before, withoutUndefined(patch), now);
      if (decision.unchanged) return before;
      Object.assign(row, toColumns(decision.next), { updatedAt: now });
      const saved = toView(await this.repository.save(tx, row), before.clientId);
      const event = reimbursementChanged(
        before,
        saved,
        decision.transition,
        decision.changedFields,
        caller,
        now,
      );
      if (event) await this.publish(tx, event);
      return saved;
    });
  }

  private publish(tx: EntityManager, event: Parameters<ServiceRuntime['events']['outbox']['publish']>[1]) {
    return this.runtime.events.outbox.publish(tx, event);
  }
}

const viewOf = ({ row, clientId }: ReimbursementWithClient): ReimbursementView => toView(row, clientId);

function toColumns(
  state: ReimbursementState,
): Omit<ReimbursementEntity, 'id' | 'claimId' | 'createdAt' | 'updatedAt'> {
  return {
    status: statusToDb(state.status),
    amountClaimed: state.amountClaimed,
    amountAccepted: state.amountAccepted,
    deductibleApplied: state.deductibleApplied,
    rejectionReason: state.rejectionReason,
    paymentMethod: state.paymentMethod ? paymentMethodToDb(state.paymentMethod) : null,
    acceptedAt: state.acceptedAt,
    paidAt: state.paidAt,
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
