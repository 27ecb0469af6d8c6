import { In, type EntityManager } from 'typeorm';
import { ReimbursementEntity } from './reimbursement.entity';

export class ReimbursementRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(ReimbursementEntity);
  }

  findByIds(ids: readonly string[]): Promise<ReimbursementEntity[]> {
    return ids.length ? this.repo().findBy({ id: In([...ids]) }) : Promise.resolve([]);
  }

  /** Oldest first: the order in which requests were made. */
  findByClaimIds(claimIds: readonly string[]): Promise<ReimbursementEntity[]> {
    if (!claimIds.length) return Promise.resolve([]);
    return this.repo().find({
      where: { claimId: In([...claimIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Locks the row until the transaction ends: two concurrent updates apply one after the other. */
  findForUpdate(tx: EntityManager, id: string): Promise<ReimbursementEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
  }

  insert(tx: EntityManager, row: Omit<ReimbursementEntity, 'id'>): Promise<ReimbursementEntity> {
    return this.repo(tx).save(this.repo(tx).create(row));
  }

  save(tx: EntityManager, row: ReimbursementEntity): Promise<ReimbursementEntity> {
    return this.repo(tx).save(row);
  }
}
