import DataLoader from 'dataloader';
import type { PersonalDataVault } from '@crm/privacy';
import {
  auditTrailLoader,
  loaderById,
  loaderByParent,
  type AuditRecordView,
  type BaseContext,
  type ServiceParts,
} from '@crm/subgraph';
import type { ClientEntity } from './client/client.entity';
import type { ClientService } from './client/client.service';
import { receiptsOf, type ErasureReceipt } from './erasure/erasure.consumer';
import type { ContractEntity } from './contract/contract.entity';
import type { ContractService } from './contract/contract.service';
import type { LeadEntity } from './lead/lead.entity';
import type { LeadService } from './lead/lead.service';
import type { PinService } from './pin/pin.service';

export interface IdentityServices {
  clients: ClientService;
  contracts: ContractService;
  leads: LeadService;
  pins: PinService;
}

/** One running instance's parts (setup), shared by its requests and its consumer. */
export interface IdentityParts extends ServiceParts, IdentityServices {
  /** the clients' data keys (docs/privacy.md) */
  vault: PersonalDataVault;
}

/** Request-scoped loaders: every reference or list field of one request costs one query per kind. */
export interface IdentityLoaders {
  clientById: DataLoader<string, ClientEntity | null>;
  contractById: DataLoader<string, ContractEntity | null>;
  contractsByClient: DataLoader<string, ContractEntity[]>;
  leadByEmail: DataLoader<string, LeadEntity | null>;
  /** whether each client has a personal code (Client.hasPin) */
  hasPin: DataLoader<string, boolean>;
  /** Client.auditTrail: the newest records of each client in the audit log */
  auditTrailByClient: DataLoader<string, AuditRecordView[]>;
  /** Client.erasure: the other services' proofs of each client's erasure */
  erasureReceipts: DataLoader<string, ErasureReceipt[]>;
}

export interface IdentityContext extends BaseContext {
  loaders: IdentityLoaders;
}

export function createContext(base: BaseContext, services: IdentityParts): IdentityContext {
  return {
    ...base,
    loaders: {
      clientById: loaderById(
        (ids) => services.clients.findByIds(ids),
        (c) => c.id,
      ),
      contractById: loaderById(
        (ids) => services.contracts.findByIds(ids),
        (c) => c.id,
      ),
      contractsByClient: loaderByParent(
        (ids) => services.contracts.findByClientIds(ids),
        (c) => c.clientId,
      ),
      leadByEmail: loaderById(
        (emails) => services.leads.findByEmails(emails),
        (l) => l.email,
      ),
      hasPin: new DataLoader((ids) => services.pins.hasPin(ids)),
      auditTrailByClient: auditTrailLoader(services.runtime.dataSource, 'Client', (records) =>
        services.clients.revealAuditChanges(records),
      ),
      erasureReceipts: new DataLoader(async (ids) => {
        const receipts = await receiptsOf(services.runtime.dataSource.manager, ids);
        return ids.map((id) => receipts.get(id) ?? []);
      }),
    },
  };
}
