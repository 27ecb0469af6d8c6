import { In, type EntityManager } from 'typeorm';
import { AdvisorEntity } from './advisor.entity';

/** Query.advisors: at most 200, the first in its order (name, then id). */
export const MAX_ADVISORS = 200;

export class AdvisorRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(AdvisorEntity);
  }

  findByIds(ids: readonly string[]): Promise<AdvisorEntity[]> {
    return ids.length ? this.repo().findBy({ id: In([...ids]) }) : Promise.resolve([]);
  }

  /** Query.advisors: the first MAX_ADVISORS by name, then id. */
  findAll(status?: string): Promise<AdvisorEntity[]> {
    return this.repo().find({
      where: status ? { status } : {},
      order: { name: 'ASC', id: 'ASC' },
      take: MAX_ADVISORS,
    });
  }

  /**
   * Locks advisors until the transaction ends, always in id order: two transactions locking
   * the same pair can then never wait on each other in a cycle (no deadlock).
   */
  lockByIds(tx: EntityManager, ids: readonly string[]): Promise<AdvisorEntity[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return Promise.resolve([]);
    return this.repo(tx)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.id IN (:...ids)', { ids: unique })
      .orderBy('a.id', 'ASC')
      .getMany();
  }

  /** Locks every advisor who could take an entry now (available, with room), in id order. */
  lockAvailableWithRoom(tx: EntityManager): Promise<AdvisorEntity[]> {
    return this.repo(tx)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where(`a.status = 'disponible'`)
      .andWhere('a.activeClaims < a.capacity')
      .orderBy('a.id', 'ASC')
      .getMany();
  }

  insert(tx: EntityManager, row: Omit<AdvisorEntity, 'id'>): Promise<AdvisorEntity> {
    return this.repo(tx).save(this.repo(tx).create(row));
  }

  async setStatus(tx: EntityManager, id: string, status: string): Promise<void> {
    await this.repo(tx).update({ id }, { status });
  }

  /** Callers hold the row lock (lockByIds); the CHECK constraint backs the capacity rule. */
  async addActiveClaims(tx: EntityManager, id: string, delta: number): Promise<void> {
    await this.repo(tx)
      .createQueryBuilder()
      .update()
      .set({ activeClaims: () => `nb_dossiers_actifs + ${Math.trunc(delta)}` })
      .where('id = :id', { id })
      .execute();
  }
}
