import type DataLoader from 'dataloader';
import { loaderById, loaderByParent, type BaseContext, type ServiceParts, uuidsOnly } from '@crm/subgraph';
import { type KnownClaimRepository } from './claim/claim.repository';
import { type KnownContractRepository } from './contract/contract.repository';
import { type ClaimRef, type ReimbursementView } from './reimbursement/reimbursement.mapping';
import { type ReimbursementService } from './reimbursement/reimbursement.service';

/** One running instance's parts (setup), shared by its requests. */
export interface ReimbursementParts extends ServiceParts {
  reimbursements: ReimbursementService;
  /** the claims this service knows (sinistres_connus), fed by the consumer */
  knownClaims: KnownClaimRepository;
  /** the contracts this service knows (contrats_connus), fed by ContractIssued */
  knownContracts: KnownContractRepository;
}

export interface Context extends BaseContext {
  reimbursements: ReimbursementService;
  loaders: {
    reimbursementById: DataLoader<string, ReimbursementView | null>;
    reimbursementsByClaim: DataLoader<string, ReimbursementView[]>;
    /** a Claim reference with its policyholder; null for a claim unknown here */
    knownClaimById: DataLoader<string, ClaimRef | null>;
  };
}

// keys from other subgraphs are not trusted to be UUIDs: a bad one resolves to nothing
/** Request-scoped: one batch per tick, nothing cached across requests. */
export function createContext(base: BaseContext, { reimbursements: service }: ReimbursementParts): Context {
  return {
    ...base,
    reimbursements: service,
    loaders: {
      reimbursementById: loaderById(
        (ids) => service.byIds(uuidsOnly(ids)),
        (r) => r.id,
      ),
      reimbursementsByClaim: loaderByParent(
        (ids) => service.byClaimIds(uuidsOnly(ids)),
        (r) => r.claimId,
      ),
      knownClaimById: loaderById(
        (ids) => service.claimRefs(uuidsOnly(ids)),
        (c) => c.id,
      ),
    },
  };
}
