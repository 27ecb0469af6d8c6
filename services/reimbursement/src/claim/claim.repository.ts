// Queries of the claims this service knows (sinistres_connus). A claim's policyholder and
// contract never change once it is opened (the claims service's updateClaim touches neither),
// so the first ClaimOpened recorded stays: a later one for the same claim is either the same
// facts (changes nothing) or a conflict the consumer refuses, never a change of owner.
import { In, type EntityManager } from 'typeorm';
import { KnownClaimEntity } from './claim.entity';

export type KnownClaim = Pick<KnownClaimEntity, 'claimId' | 'clientId' | 'contractId' | 'openedAt'> &
  Partial<
    Pick<
      KnownClaimEntity,
      | 'claimType'
      | 'occurredOn'
      | 'thirdPartyInvolved'
      | 'thirdPartyResponsible'
      | 'estimatedDamage'
      | 'status'
      | 'channel'
    >
  >;

/** What recording a ClaimOpened did: a new row, the very same facts again, or other facts. */
export type RecordOutcome = 'recorded' | 'same' | 'conflict';

export class KnownClaimRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(KnownClaimEntity);
  }

  /** Inserts the claim unless it is known already; never overwrites a known one. */
  async record(tx: EntityManager, claim: KnownClaim): Promise<RecordOutcome> {
    const inserted = await tx.query<unknown[]>(
      `INSERT INTO sinistres_connus (sinistre_id, client_id, contrat_id, date_ouverture, type_sinistre,
         date_sinistre, tiers_implique, tiers_responsable, estimation_dommage, status_dossier, date_statut, canal)
       VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8, $9, $10::varchar, CASE WHEN $10::varchar IS NULL THEN NULL ELSE $4::timestamptz END, $11)
       ON CONFLICT (sinistre_id) DO NOTHING
       RETURNING sinistre_id`,
      [
        claim.claimId,
        claim.clientId,
        claim.contractId,
        claim.openedAt,
        claim.claimType ?? null,
        claim.occurredOn ?? null,
        claim.thirdPartyInvolved ?? null,
        claim.thirdPartyResponsible ?? null,
        claim.estimatedDamage ?? null,
        claim.status ?? null,
        claim.channel ?? null,
      ],
    );
    if (inserted.length) return 'recorded';
    const known = await this.repo(tx).findOneByOrFail({ claimId: claim.claimId });
    return known.clientId === claim.clientId && known.contractId === claim.contractId ? 'same' : 'conflict';
  }

  /**
   * The claim's status from ClaimStatusChanged; an older change delivered after a newer one
   * changes nothing. False when the claim is not known here (its ClaimOpened not seen yet).
   */
  async setStatus(tx: EntityManager, claimId: string, status: string, at: Date): Promise<boolean> {
    const [, count] = await tx.query<[unknown[], number]>(
      `UPDATE sinistres_connus SET status_dossier = $2, date_statut = $3
       WHERE sinistre_id = $1 AND (date_statut IS NULL OR date_statut <= $3)`,
      [claimId, status, at],
    );
    return count > 0;
  }

  find(claimId: string, tx?: EntityManager): Promise<KnownClaimEntity | null> {
    return this.repo(tx).findOneBy({ claimId });
  }

  /** The claims under a contract that have no automatic proposal yet. */
  async awaitingProposal(tx: EntityManager, contractId: string): Promise<KnownClaimEntity[]> {
    return this.repo(tx)
      .createQueryBuilder('k')
      .where('k.contrat_id = :contractId', { contractId })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM remboursements r WHERE r.sinistre_id = k.sinistre_id AND r.origine = 'automatique')`,
      )
      .orderBy('k.date_ouverture', 'ASC')
      .getMany();
  }

  /** One query for a whole batch of ids (the Claim references of a request). */
  findByIds(claimIds: readonly string[], tx?: EntityManager): Promise<KnownClaimEntity[]> {
    return claimIds.length ? this.repo(tx).findBy({ claimId: In([...claimIds]) }) : Promise.resolve([]);
  }

  /** The claim's policyholder, or null while the claim is unknown here. */
  async clientOf(claimId: string, tx?: EntityManager): Promise<string | null> {
    const known = await this.repo(tx).findOne({ select: { clientId: true }, where: { claimId } });
    return known?.clientId ?? null;
  }
}

/**
 * Serializes, per claim, what assesses its reimbursements: an advisor's request (create) and the
 * consumers that make the claim or its contract known (their reassessment). Without it the two
 * could miss each other (the request reads "unknown", the reassessment does not see the request's
 * uncommitted row) and the reimbursement stayed UNKNOWN for good. Taken after the contract's key
 * by the consumers and alone by the request: always in that order. Transaction-scoped.
 */
export async function lockClaimKey(tx: EntityManager, claimId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('reimbursement.claim:' || $1))`, [
    claimId.toLowerCase(),
  ]);
}
