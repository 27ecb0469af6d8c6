// Every query of the contracts table: reads on the manager it is built with, writes on a tx.
import { firstPerParent } from '@crm/db';
import { In, type EntityManager } from 'typeorm';
import { uuidsOnly } from '@crm/subgraph';
import { ContractEntity } from './contract.entity';
import type { ContractState } from './contract.rules';

export const CONTRACT_NUMBER_UNIQUE = 'contrats_numero_contrat_key';
/** Client.contracts: at most 50 per client, the newest (returned oldest first). */
export const MAX_CLIENT_CONTRACTS = 50;

export class ContractRepository {
  constructor(private readonly manager: EntityManager) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.manager).getRepository(ContractEntity);
  }

  findByIds(ids: readonly string[]): Promise<ContractEntity[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return Promise.resolve([]);
    return this.repo().findBy({ id: In(valid) });
  }

  /**
   * One query for the contracts of many clients (Client.contracts through a loader), oldest
   * first: the newest MAX_CLIENT_CONTRACTS of each (a window per client, so the bound is per
   * client and the batch stays one statement).
   */
  findByClientIds(clientIds: readonly string[]): Promise<ContractEntity[]> {
    const valid = uuidsOnly(clientIds);
    if (valid.length === 0) return Promise.resolve([]);
    return this.repo()
      .createQueryBuilder('c')
      .where(
        ...firstPerParent('c', {
          table: 'contrats',
          parent: 'client_id',
          order: 'k.date_creation DESC, k.id DESC',
          parentIds: valid,
          max: MAX_CLIENT_CONTRACTS,
        }),
      )
      .orderBy('c.createdAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  /** Read inside the transaction that erases the client (its event names the contracts). */
  async idsOfClient(tx: EntityManager, clientId: string): Promise<string[]> {
    const rows = await this.repo(tx).find({
      select: { id: true },
      where: { clientId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map((r) => r.id);
  }

  async existsNumber(contractNumber: string, tx?: EntityManager): Promise<boolean> {
    return this.repo(tx).existsBy({ contractNumber });
  }

  async insert(tx: EntityManager, contract: ContractState): Promise<ContractEntity> {
    const entity = this.repo(tx).create(contract);
    await this.repo(tx).insert(entity);
    return entity;
  }
}
