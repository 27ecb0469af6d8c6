// The contracts this service knows (contrats_connus). A contract is issued once (identity has no
// change event yet), so the first ContractIssued recorded stays; a redelivery changes nothing.
import { type EntityManager } from 'typeorm';
import { enumMapping } from '@crm/subgraph';
import { type ContractStatus, type ContractTerms } from '../reimbursement/assessment.rules';
import { reimbursementError } from '../errors';
import { KnownContractEntity } from './contract.entity';

const status = enumMapping<ContractStatus, 'actif' | 'suspendu' | 'résilié'>(
  { ACTIVE: 'actif', SUSPENDED: 'suspendu', TERMINATED: 'résilié' },
  (value) => reimbursementError('REIMBURSEMENT.CORRUPT_ROW', `unknown contrats_connus.statut "${value}"`),
);

export function termsOf(row: KnownContractEntity): ContractTerms {
  return {
    contractId: row.contractId,
    clientId: row.clientId,
    status: status.fromDb(row.status),
    subscribedOn: row.subscribedOn,
    expiresOn: row.expiresOn,
    coverages: row.coverages,
    thirdPartyDeductible: row.thirdPartyDeductible,
    collisionDeductible: row.collisionDeductible,
    propertyDamageCover: row.propertyDamageCover,
    thirdPartyCover: row.thirdPartyCover,
    civilLiabilityCover: row.civilLiabilityCover,
  };
}

export class KnownContractRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(KnownContractEntity);
  }

  /** Inserts the contract unless known; true when this call recorded it. */
  async record(tx: EntityManager, terms: ContractTerms, issuedAt: Date): Promise<boolean> {
    const inserted = await tx.query<unknown[]>(
      `INSERT INTO contrats_connus (contrat_id, client_id, statut, date_souscription, date_expiration,
         garanties, franchise_tiers, franchise_tiers_collision, couverture_dommage_materiel,
         couverture_tiers, couverture_rc_civile, date_emission)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (contrat_id) DO NOTHING
       RETURNING contrat_id`,
      [
        terms.contractId,
        terms.clientId,
        status.toDb(terms.status),
        terms.subscribedOn,
        terms.expiresOn,
        JSON.stringify(terms.coverages),
        terms.thirdPartyDeductible,
        terms.collisionDeductible,
        terms.propertyDamageCover,
        terms.thirdPartyCover,
        terms.civilLiabilityCover,
        issuedAt,
      ],
    );
    return inserted.length > 0;
  }

  async find(contractId: string, tx?: EntityManager): Promise<ContractTerms | null> {
    const row = await this.repo(tx).findOneBy({ contractId });
    return row ? termsOf(row) : null;
  }
}

/**
 * Serializes, per contract, the consumers that complete a claim's picture (its ClaimOpened, its
 * contract's ContractIssued): whichever commits second sees the other's row and makes the
 * automatic proposal, never neither of them. Transaction-scoped.
 */
export async function lockContractKey(tx: EntityManager, key: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('reimbursement.contract:' || $1))`, [key]);
}
