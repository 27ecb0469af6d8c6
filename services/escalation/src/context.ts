import type { PersonalDataVault } from '@crm/privacy';
import type DataLoader from 'dataloader';
import NodeDataLoader from 'dataloader';
import {
  loaderById,
  loaderByParent,
  type BaseContext,
  type PeriodicTask,
  type ServiceParts,
  uuidsOnly,
} from '@crm/subgraph';
import { type AdvisorService } from './advisor/advisor.service';
import { type EscalationService, type WaitEstimate } from './escalation/escalation.service';
import { type QueueFeed } from './live/queue-feed';
import { type AdvisorView } from './advisor/advisor.mapping';
import {
  type AssignmentView,
  type EscalationStatus,
  type EscalationView,
} from './escalation/escalation.mapping';

export interface Services {
  advisors: AdvisorService;
  escalations: EscalationService;
  /** this instance's live feed of queue changes (subscriptions) */
  feed: QueueFeed;
}

/** One running instance's parts (setup), shared by its requests, its consumers and its sweep. */
export interface EscalationParts extends ServiceParts, Services {
  /** the runtime's clock unless the settings pin one (tests): what the rules read as now */
  clock: () => Date;
  /** offers waiting entries again every SWEEP_INTERVAL_MS */
  sweep: PeriodicTask;
  /** the data keys of what the entries hold about people (docs/privacy.md) */
  vault: PersonalDataVault;
}

export interface Context extends BaseContext, Services {
  loaders: {
    advisorById: DataLoader<string, AdvisorView | null>;
    escalationById: DataLoader<string, EscalationView | null>;
    escalationsByClaim: DataLoader<string, EscalationView[]>;
    escalationsByCase: DataLoader<string, EscalationView[]>;
    historyByEscalation: DataLoader<string, AssignmentView[]>;
    /** position and estimated wait of WAITING entries (null otherwise): two statements per batch */
    waitById: DataLoader<string, WaitEstimate | null>;
    /** one loader per status filter of Advisor.assignments */
    assignmentsByAdvisor(status?: EscalationStatus): DataLoader<string, EscalationView[]>;
  };
}

// keys from other subgraphs are not trusted to be UUIDs: a bad one resolves to nothing
/** Request-scoped: one batch per tick, nothing cached across requests. */
export function createContext(base: BaseContext, parts: EscalationParts): Context {
  const { advisors, escalations, feed } = parts;
  const byStatus = new Map<string, DataLoader<string, EscalationView[]>>();
  return {
    ...base,
    advisors,
    escalations,
    feed,
    loaders: {
      advisorById: loaderById(
        (ids) => advisors.byIds(uuidsOnly(ids)),
        (a) => a.id,
      ),
      escalationById: loaderById(
        (ids) => escalations.byIds(uuidsOnly(ids)),
        (e) => e.id,
      ),
      escalationsByClaim: loaderByParent(
        (ids) => escalations.byClaimIds(uuidsOnly(ids)),
        (e) => e.claimId ?? '',
      ),
      escalationsByCase: loaderByParent(
        (ids) => escalations.byCaseIds(uuidsOnly(ids)),
        (e) => e.caseId ?? '',
      ),
      historyByEscalation: loaderByParent(
        (ids) => escalations.assignmentsOf(uuidsOnly(ids)),
        (a) => a.escalationId,
      ),
      waitById: new NodeDataLoader<string, WaitEstimate | null>(async (ids) => {
        const estimates = await escalations.waitEstimates(uuidsOnly(ids));
        return ids.map((id) => estimates.get(id) ?? null);
      }),
      assignmentsByAdvisor(status) {
        const key = status ?? '*';
        let loader = byStatus.get(key);
        if (!loader) {
          loader = loaderByParent(
            (ids) => escalations.byAdvisorIds(uuidsOnly(ids), status),
            (e) => e.advisorId ?? '',
          );
          byStatus.set(key, loader);
        }
        return loader;
      },
    },
  };
}
