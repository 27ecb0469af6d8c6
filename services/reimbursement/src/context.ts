import type DataLoader from 'dataloader';
import { loaderById, loaderByParent, type BaseContext } from '@crm/subgraph';
import { type ReimbursementView } from './reimbursement/reimbursement.mapping';
import { type ReimbursementService } from './reimbursement/reimbursement.service';

export interface Context extends BaseContext {
  reimbursements: ReimbursementService;
  loaders: {
    reimbursementById: DataLoader<string, ReimbursementView | null>;
    reimbursementsByClaim: DataLoader<string, ReimbursementView[]>;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Keys from other subgraphs are not trusted to be UUIDs: a bad one resolves to nothing. */
export const uuidsOnly = (ids: readonly string[]): string[] => ids.filter((id) => UUID.test(id));

/** Request-scoped: one batch per tick, nothing cached across requests. */
export function createContext(base: BaseContext, service: ReimbursementService): Context {
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
    },
  };
}
