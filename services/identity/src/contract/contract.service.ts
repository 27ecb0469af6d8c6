import { randomBytes, randomUUID } from 'node:crypto';
import { assertNotErased } from '../client/client.rules';
import { ClientRepository } from '../client/client.repository';
import { audited, changedFields, sealFieldChanges, type AuditNotes, type Caller } from '@crm/subgraph';
import { isUniqueViolation } from '../shared/command';
import type { IdentityDeps } from '../shared/deps';
import type { ContractEntity } from './contract.entity';
import { contractIssued } from './contract.events';
import { CONTRACT_NUMBER_UNIQUE, ContractRepository } from './contract.repository';
import {
  AUDITED_CONTRACT_FIELDS,
  generateContractNumber,
  newContract,
  type ContractState,
} from './contract.rules';
import type { IssueContract } from './contract.inputs';
import { identityError, notFound } from '../errors';

/** Audited values of a contract are sealed as `audit.contract.<field>`. */
const AUDIT_ENTITY = 'contract';

export class ContractService {
  constructor(
    private readonly deps: IdentityDeps,
    private readonly contracts = new ContractRepository(deps.dataSource.manager),
    private readonly clients = new ClientRepository(deps.dataSource.manager, deps.vault),
  ) {}

  findByIds(ids: readonly string[]): Promise<ContractEntity[]> {
    return this.contracts.findByIds(ids);
  }

  findByClientIds(clientIds: readonly string[]): Promise<ContractEntity[]> {
    return this.contracts.findByClientIds(clientIds);
  }

  /**
   * `audit`: the request's notes, which get the contract's fields as new values, sealed under
   * its client's key, once the issue has committed.
   */
  async issue(command: IssueContract, caller: Caller, audit?: AuditNotes): Promise<ContractEntity> {
    const now = this.deps.clock();
    const contract = newContract(
      command,
      {
        id: randomUUID(),
        contractNumber: command.contractNumber ?? generateContractNumber(now, randomBytes(8)),
      },
      now,
    );
    try {
      return await audited(audit, this.deps.dataSource, async (manager) => {
        // the lock orders this issue with a concurrent erasure of the same client
        const client = await this.clients.findForUpdate(manager, contract.clientId);
        if (!client) throw notFound('client', contract.clientId);
        assertNotErased(client);
        const saved = await this.contracts.insert(manager, contract);
        await this.deps.outbox.publish(manager, contractIssued(contract, client.matricule, caller));
        // under the client's key, live under the lock (an erased client was refused above)
        const given = changedFields({} as ContractState, contract, AUDITED_CONTRACT_FIELDS);
        return {
          result: saved,
          // the record's entity is the result's id: issueContract's input has none
          entityId: saved.id,
          seal: () =>
            sealFieldChanges(this.deps.vault, client.id, AUDIT_ENTITY, {}, contract, given, manager),
        };
      });
    } catch (err) {
      if (isUniqueViolation(err, CONTRACT_NUMBER_UNIQUE))
        throw identityError(
          'CONTRACT.NUMBER_TAKEN',
          `contract number ${contract.contractNumber} is already used`,
          {
            contractNumber: contract.contractNumber,
          },
        );
      throw err;
    }
  }
}
