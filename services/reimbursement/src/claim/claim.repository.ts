// Queries of the claims this service knows (sinistres_connus). A claim's policyholder and
// contract never change once it is opened (the claims service's updateClaim touches neither),
// so the first ClaimOpened recorded stays: a later one for the same claim is either the same
// facts (changes nothing) or a conflict the consumer refuses, never a change of owner.
import { In, type EntityManager } from 'typeorm';
import { KnownClaimEntity } from './claim.entity';

export type KnownClaim = Pick<KnownClaimEntity, 'claimId' | 'clientId' | 'contractId' | 'openedAt'>;

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
      `INSERT INTO sinistres_connus (sinistre_id, client_id, contrat_id, date_ouverture)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (sinistre_id) DO NOTHING
       RETURNING sinistre_id`,
      [claim.claimId, claim.clientId, claim.contractId, claim.openedAt],
    );
    if (inserted.length) return 'recorded';
    const known = await this.repo(tx).findOneByOrFail({ claimId: claim.claimId });
    return known.clientId === claim.clientId && known.contractId === claim.contractId ? 'same' : 'conflict';
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
