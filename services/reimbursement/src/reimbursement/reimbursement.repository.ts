import { firstPerParent } from '@crm/db';
import { type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { KnownClaimEntity } from '../claim/claim.entity';
import { ReimbursementEntity } from './reimbursement.entity';

/**
 * The most Claim.reimbursements and Query.reimbursementsByClaim return for one claim, the
 * newest kept (docs/security.md, Limits in place).
 */
export const MAX_CLAIM_REIMBURSEMENTS = 50;

/** A row read with its claim's policyholder (null while the claim is unknown here). */
export interface ReimbursementWithClient {
  row: ReimbursementEntity;
  clientId: string | null;
}

export class ReimbursementRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(ReimbursementEntity);
  }

  /** Reads join the claims this service knows: whose each reimbursement is, in the same statement. */
  private withClient(tx?: EntityManager): SelectQueryBuilder<ReimbursementEntity> {
    return this.repo(tx)
      .createQueryBuilder('r')
      .leftJoin(KnownClaimEntity, 'k', 'k.sinistre_id = r.sinistre_id')
      .addSelect('k.client_id', 'known_client_id');
  }

  private async read(qb: SelectQueryBuilder<ReimbursementEntity>): Promise<ReimbursementWithClient[]> {
    const { raw, entities } = await qb.getRawAndEntities<{ r_id: string; known_client_id: string | null }>();
    const clientOf = new Map(raw.map((r) => [r.r_id, r.known_client_id]));
    return entities.map((row) => ({ row, clientId: clientOf.get(row.id) ?? null }));
  }

  findByIds(ids: readonly string[]): Promise<ReimbursementWithClient[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.read(this.withClient().where('r.id IN (:...ids)', { ids: [...ids] }));
  }

  /**
   * Oldest first: the order in which requests were made; at most MAX_CLAIM_REIMBURSEMENTS per
   * claim, the newest (row_number() per claim in the same statement).
   */
  findByClaimIds(claimIds: readonly string[]): Promise<ReimbursementWithClient[]> {
    if (!claimIds.length) return Promise.resolve([]);
    return this.read(
      this.withClient()
        .where(
          ...firstPerParent('r', {
            table: 'remboursements',
            parent: 'sinistre_id',
            order: 'k.date_creation DESC, k.id DESC',
            parentIds: claimIds,
            max: MAX_CLAIM_REIMBURSEMENTS,
          }),
        )
        .orderBy('r.date_creation', 'ASC')
        .addOrderBy('r.id', 'ASC'),
    );
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

  /** Whether the claim has its automatic proposal already (at most one: uq_remboursement_automatique). */
  async hasAutomatic(tx: EntityManager, claimId: string): Promise<boolean> {
    return this.repo(tx).exists({ where: { claimId, origin: 'automatique' } });
  }

  /**
   * A claim's pending reimbursements whose contract was not read yet (requested before this
   * service knew the claim or its contract), locked for their re-assessment.
   */
  pendingUnassessed(tx: EntityManager, claimId: string): Promise<ReimbursementEntity[]> {
    return this.repo(tx)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.sinistre_id = :claimId', { claimId })
      .andWhere(`r.statut = 'en_attente'`)
      .andWhere(`(r.evaluation is null or r.evaluation->>'outcome' = 'UNKNOWN')`)
      .getMany();
  }

  save(tx: EntityManager, row: ReimbursementEntity): Promise<ReimbursementEntity> {
    return this.repo(tx).save(row);
  }
}
