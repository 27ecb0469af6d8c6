// The per-request context: the caller, plus request-scoped DataLoaders so that every list
// field and every entity reference costs one statement per batch, whatever the number of
// parents (the N+1 test in claims.n1.int.spec.ts holds it to a constant).
import type DataLoader from 'dataloader';
import {
  auditTrailLoader,
  loaderById,
  loaderByParent,
  type AuditRecordView,
  type BaseContext,
  type PeriodicTask,
  type ServiceParts,
  uuidsOnly,
} from '@crm/subgraph';
import NodeDataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { CaseEventEntity } from './cases/case-event.entity';
import type { CaseEntity } from './cases/case.entity';
import type { CaseRepository } from './cases/case.repository';
import type { CaseJournal } from './cases/case.service';
import { ACTIVITY_JOURNAL_TYPES } from './claims/claim-activity.rules';
import type { ClaimEntity } from './claims/claim.entity';
import {
  MAX_CLAIM_ACTIVITY,
  type ClaimActivityRow,
  type ClaimRepository,
  type Keyset,
  type Page,
} from './claims/claim.repository';
import type { ClaimService } from './claims/claim.service';
import type { RecommendedActionEntity } from './claims/recommended-action.entity';

export interface ClaimsContext extends BaseContext {
  /** the service's clock: what inputs are validated against (no occurredAt in the future) */
  clock: () => Date;
  service: ClaimService;
  claims: ClaimRepository;
  cases: CaseRepository;
  journal: CaseJournal;
  loaders: Loaders;
}

export interface PageArgsResolved {
  first: number;
  after?: Keyset;
}

export interface Loaders {
  claimById: DataLoader<string, ClaimEntity | null>;
  actionsByClaim: DataLoader<string, RecommendedActionEntity[]>;
  claimsByContract: DataLoader<string, ClaimEntity[]>;
  caseById: DataLoader<string, CaseEntity | null>;
  caseEventById: DataLoader<string, CaseEventEntity | null>;
  /** the journal entries Claim.activity shows (APPOINTMENT_BOOKED), by case: the newest MAX_CLAIM_ACTIVITY */
  activityEventsByCase: DataLoader<string, CaseEventEntity[]>;
  /** the entries Claim.activity shows that were recorded by hand, by claim: the newest MAX_CLAIM_ACTIVITY */
  recordedActivitiesByClaim: DataLoader<string, ClaimActivityRow[]>;
  /** one loader per distinct (status, first, after): the batch shares the page arguments */
  clientClaimsPage(status: string | null, page: PageArgsResolved): DataLoader<string, Page<ClaimEntity>>;
  clientClaimsCount(status: string | null): DataLoader<string, number>;
  caseEventsPage(page: PageArgsResolved): DataLoader<string, Page<CaseEventEntity>>;
  caseEventsCount: DataLoader<string, number>;
  /** Claim.auditTrail: the newest records of each claim in the audit log */
  auditTrailByClaim: DataLoader<string, AuditRecordView[]>;
}

/** Ids from the gateway (_entities) or a client may be anything; only UUIDs can match a row. */
const uuids = uuidsOnly;

function memo<V>(build: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = build(key);
      cache.set(key, value);
    }
    return value;
  };
}

export function createLoaders(
  claims: ClaimRepository,
  cases: CaseRepository,
  dataSource: DataSource,
): Loaders {
  const pageKey = (page: PageArgsResolved) => JSON.stringify([page.first, page.after ?? null]);
  const clientPages = memo((key: string) => {
    const [status, first, after] = JSON.parse(key) as [string | null, number, Keyset | null];
    return new NodeDataLoader<string, Page<ClaimEntity>>(async (clientIds) => {
      const valid = uuids(clientIds);
      const pages = valid.length
        ? await claims.pagesByClient(valid, { status, first, ...(after ? { after } : {}) })
        : new Map<string, Page<ClaimEntity>>();
      return clientIds.map((id) => pages.get(id) ?? { rows: [], hasNextPage: false });
    });
  });
  const clientCounts = memo((status: string) => {
    const value = status === '' ? null : status;
    return new NodeDataLoader<string, number>(async (clientIds) => {
      const valid = uuids(clientIds);
      const counts = valid.length ? await claims.countByClient(valid, value) : new Map<string, number>();
      return clientIds.map((id) => counts.get(id) ?? 0);
    });
  });
  const eventPages = memo((key: string) => {
    const [first, after] = JSON.parse(key) as [number, Keyset | null];
    return new NodeDataLoader<string, Page<CaseEventEntity>>(async (caseIds) => {
      const pages = await cases.eventPagesByCase(caseIds, { first, ...(after ? { after } : {}) });
      return caseIds.map((id) => pages.get(id) ?? { rows: [], hasNextPage: false });
    });
  });

  return {
    claimById: loaderById(
      async (ids) => {
        const valid = uuids(ids);
        return valid.length ? claims.findByIds(valid) : [];
      },
      (c) => c.id,
    ),
    actionsByClaim: loaderByParent(
      (ids) => claims.actionsByClaims(ids),
      (a) => a.claimId ?? '',
    ),
    claimsByContract: loaderByParent(
      async (ids) => {
        const valid = uuids(ids);
        return valid.length ? claims.findByContracts(valid) : [];
      },
      (c) => c.contractId ?? '',
    ),
    caseById: loaderById(
      (ids) => cases.findByIds(ids),
      (c) => c.id,
    ),
    caseEventById: loaderById(
      (ids) => cases.findEventsByIds(ids),
      (e) => e.id,
    ),
    activityEventsByCase: loaderByParent(
      (ids) => cases.eventsOfTypes(ids, ACTIVITY_JOURNAL_TYPES, MAX_CLAIM_ACTIVITY),
      (e) => e.caseId,
    ),
    recordedActivitiesByClaim: loaderByParent(
      async (ids) => {
        const valid = uuids(ids);
        return valid.length ? claims.recordedActivities(valid, MAX_CLAIM_ACTIVITY) : [];
      },
      (a) => a.claimId,
    ),
    clientClaimsPage: (status, page) => clientPages(JSON.stringify([status, page.first, page.after ?? null])),
    clientClaimsCount: (status) => clientCounts(status ?? ''),
    caseEventsPage: (page) => eventPages(pageKey(page)),
    caseEventsCount: new NodeDataLoader<string, number>(async (caseIds) => {
      const counts = await cases.countEventsByCase(caseIds);
      return caseIds.map((id) => counts.get(id) ?? 0);
    }),
    // the changed values sealed under each claim's key, opened for the supervisor
    auditTrailByClaim: auditTrailLoader(dataSource, 'Claim', (records) => claims.revealAuditChanges(records)),
  };
}

/** One running instance's parts (setup), shared by its requests, consumers and timer. */
export interface ClaimsParts extends ServiceParts {
  /** the runtime's clock unless the settings pin one (tests) */
  clock: () => Date;
  service: ClaimService;
  claims: ClaimRepository;
  cases: CaseRepository;
  journal: CaseJournal;
  /** « Délai > 5 jours »: started with the consumers, stopped with the instance */
  stallTimer: PeriodicTask;
  /** names the cases recorded before identity linked leads to cases, once (cases/lead-links.ts) */
  leadLinks: PeriodicTask;
  /** shreds the keys of partner dead letters that named nobody, past retention (cases/partner-dead-letters.ts) */
  deadLetterPurge: PeriodicTask;
}

export function createContext(base: BaseContext, parts: ClaimsParts): ClaimsContext {
  const { clock, service, claims, cases, journal } = parts;
  return {
    ...base,
    clock,
    service,
    claims,
    cases,
    journal,
    loaders: createLoaders(claims, cases, parts.runtime.dataSource),
  };
}
