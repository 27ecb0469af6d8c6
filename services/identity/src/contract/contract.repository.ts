import { In, type EntityManager } from 'typeorm';
import { uuidsOnly } from '@crm/subgraph';
import { ContractEntity } from './contract.entity';
import type { ContractState } from './contract.rules';

export const CONTRACT_NUMBER_UNIQUE = 'contrats_numero_contrat_key';

export class ContractRepository {
  findByIds(manager: EntityManager, ids: readonly string[]): Promise<ContractEntity[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return Promise.resolve([]);
    return manager.getRepository(ContractEntity).findBy({ id: In(valid) });
  }

  /** One query for the contracts of many clients (Client.contracts through a loader). */
  findByClientIds(manager: EntityManager, clientIds: readonly string[]): Promise<ContractEntity[]> {
    const valid = uuidsOnly(clientIds);
    if (valid.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(ContractEntity)
      .find({ where: { clientId: In(valid) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async idsOfClient(manager: EntityManager, clientId: string): Promise<string[]> {
    const rows = await manager
      .getRepository(ContractEntity)
      .find({ select: { id: true }, where: { clientId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map((r) => r.id);
  }

  async existsNumber(manager: EntityManager, contractNumber: string): Promise<boolean> {
    return manager.getRepository(ContractEntity).existsBy({ contractNumber });
  }

  async insert(manager: EntityManager, contract: ContractState): Promise<ContractEntity> {
    const entity = manager.getRepository(ContractEntity).create(contract);
    await manager.getRepository(ContractEntity).insert(entity);
    return entity;
  }
}
