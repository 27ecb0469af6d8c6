import { firstPerParent, type FieldChange } from '@crm/db';
import { type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { KnownClaimEntity } from '../claim/claim.entity';
import type { ReimbursementCipher } from './reimbursement.cipher';
import { ReimbursementEntity } from './reimbursement.entity';
import type { ReimbursementView } from './reimbursement.mapping';

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

/**
 * Every row is sealed on its way in and opened on its way out (ReimbursementCipher): callers
 * read and write clear values.
 */
export class ReimbursementRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly cipher: ReimbursementCipher,
  ) {}

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
    return (await this.cipher.open(entities)).map((row) => ({ row, clientId: clientOf.get(row.id) ?? null }));
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
  async findForUpdate(tx: EntityManager, id: string): Promise<ReimbursementEntity | null> {
    const row = await this.repo(tx)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
    return row && (await this.cipher.open([row], tx))[0]!;
  }

  /** Inserts the row, its words sealed; returns it as written, its words clear. */
  async insert(tx: EntityManager, row: Omit<ReimbursementEntity, 'id'>): Promise<ReimbursementEntity> {
    const saved = await this.repo(tx).save(this.repo(tx).create(await this.cipher.seal(row, tx)));
    return Object.assign(saved, { rejectionReason: row.rejectionReason, override: row.override });
  }

  /** A change's audited fields, sealed under the claim's key (ReimbursementCipher.auditChanges). */
  auditChanges(
    before: Partial<ReimbursementView>,
    after: ReimbursementView,
    tx: EntityManager,
  ): Promise<Record<string, FieldChange> | null> {
    return this.cipher.auditChanges(before, after, tx);
  }

  /** Whether the claim has its automatic proposal already (at most one: uq_remboursement_automatique). */
  async hasAutomatic(tx: EntityManager, claimId: string): Promise<boolean> {
    return this.repo(tx).exists({ where: { claimId, origin: 'automatique' } });
  }

  /**
   * A claim's pending reimbursements whose contract was not read yet (requested before this
   * service knew the claim or its contract), locked for their re-assessment.
   */
  async pendingUnassessed(tx: EntityManager, claimId: string): Promise<ReimbursementEntity[]> {
    const rows = await this.repo(tx)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.sinistre_id = :claimId', { claimId })
      .andWhere(`r.statut = 'en_attente'`)
      .andWhere(`(r.evaluation is null or r.evaluation->>'outcome' = 'UNKNOWN')`)
      .getMany();
    return this.cipher.open(rows, tx);
  }

  /** Saves the row, its words sealed; returns it as saved, its words clear. */
  async save(tx: EntityManager, row: ReimbursementEntity): Promise<ReimbursementEntity> {
    const { rejectionReason, override } = row;
    const saved = await this.repo(tx).save(await this.cipher.seal(row, tx));
    return Object.assign(saved, { rejectionReason, override });
  }

  /**
   * Erasure (ClientErased): the keys of the client's claims are shredded in the transaction, so
   * his reimbursements' words (a rejection's reason, an override's) read as null wherever they
   * are copied; their amounts, dates and statuses stay. Returns how many reimbursements that
   * concerns. The columns keep their ciphertext: a rejected reimbursement must hold a reason.
   */
  async eraseClient(tx: EntityManager, clientId: string): Promise<number> {
    const claims = await tx.query<{ sinistre_id: string }[]>(
      `select sinistre_id from sinistres_connus where client_id = $1`,
      [clientId],
    );
    for (const { sinistre_id } of claims) await this.cipher.shred(sinistre_id, tx);
    if (!claims.length) return 0;
    const [count] = await tx.query<{ n: number }[]>(
      `select count(*)::int as n from remboursements where sinistre_id = any($1::uuid[])`,
      [claims.map((c) => c.sinistre_id)],
    );
    return count?.n ?? 0;
  }
}
