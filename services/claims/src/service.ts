// The claims subgraph: sinistres, actions_recommandees, cases and their journal (issue 4),
// fed by the bot's IntakeCompleted, the partners' seed 2 events (issue 7) and the escalation
// queue's AdvisorAssigned (issue 15), and moved along its lifecycle by escalation's and
// reimbursement's events (issue 19).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseThresholds, type CciThresholds } from '@crm/cci';
import type { PhoneRegion } from '@crm/contact';
import { devServicePrivacy, servicePrivacyOf, type ServicePrivacy } from '@crm/privacy';
import { gql, scalarResolvers, vaultOf, type ServiceDefinition } from '@crm/subgraph';
import { subscribeAssignments } from './assignment/assignment.consumer';
import { CaseEventEntity } from './cases/case-event.entity';
import { CaseEntity } from './cases/case.entity';
import { CaseRepository } from './cases/case.repository';
import { caseResolvers } from './cases/case.resolvers';
import { CaseJournal, type PartnerPhoneRegions } from './cases/case.service';
import { subscribePartnerIngestion } from './cases/partner.consumer';
import { ClaimEntity } from './claims/claim.entity';
import { ClaimRepository } from './claims/claim.repository';
import { claimResolvers } from './claims/claim.resolvers';
import { stallTimer } from './claims/claim-stall.timer';
import { leadLinksTask } from './cases/lead-links';
import { deadLetterPurgeTask } from './cases/partner-dead-letters';
import { ClaimService } from './claims/claim.service';
import { RecommendedActionEntity } from './claims/recommended-action.entity';
import { createContext, type ClaimsContext, type ClaimsParts } from './context';
import { claimsMigrations } from './db/migrations';
import { subscribeErasure } from './erasure/erasure.consumer';
import { subscribeIntake } from './intake/intake.consumer';
import { subscribeLifecycle } from './lifecycle/lifecycle.consumer';
import { policies } from './policies';

export interface ClaimsServiceSettings {
  /** CCI decision thresholds (configuration, not policy); defaults 40 / 60 */
  thresholds?: CciThresholds;
  /** tests pin the clock */
  clock?: () => Date;
  /** « Délai > 5 jours »: days without progress after which a claim escalates (default 5) */
  stallDays?: number;
  /** how often the stall timer looks for stalled claims (default 60 000 ms) */
  stallCheckMs?: number;
  /** seed 2's migration step 1: partner ingestion also writes audit_sessions (LEGACY_DUAL_WRITE, default false) */
  legacyDualWrite?: boolean;
  /** route a claim when it is opened (default true; CLAIM_AUTO_ROUTING) */
  autoRouting?: boolean;
  /** where partners' national phone numbers are read (default FR for every source) */
  phoneRegions?: PartnerPhoneRegions;
  /** the master key ring of the claims' words and its cache (default: the development ring) */
  privacy?: ServicePrivacy;
}

export const DEFAULT_STALL_CHECK_MS = 60_000;

/** The SDL file is also what the supergraph is composed from (tools/supergraph). */
export const typeDefs = gql(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

/** how often the lead-links task looks for cases to name (none left after its first run) */
const LEAD_LINKS_CHECK_MS = 10 * 60_000;

export function claimsService(
  settings: ClaimsServiceSettings = {},
): ServiceDefinition<ClaimsParts, ClaimsContext> {
  const privacy = settings.privacy ?? devServicePrivacy();
  return {
    name: 'claims',
    privacy,
    policies,
    typeDefs,
    entities: [ClaimEntity, RecommendedActionEntity, CaseEntity, CaseEventEntity],
    migrations: claimsMigrations(privacy.wrapper),
    // the claim file: who on staff opened which claim or case is in the audit log
    auditedReads: ['claim', 'claimByNumber', 'case'],
    setup: (runtime) => {
      // what claims say about people: sealed under each claim's key (docs/privacy.md)
      const vault = vaultOf(runtime);
      const claims = new ClaimRepository(runtime.dataSource.manager, vault);
      const cases = new CaseRepository(runtime.dataSource.manager, vault);
      const clock = settings.clock ?? runtime.clock;
      const service = new ClaimService(runtime, claims, cases, { ...settings, clock });
      return {
        runtime,
        clock,
        claims,
        cases,
        service,
        journal: new CaseJournal(runtime, cases, {
          legacyDualWrite: settings.legacyDualWrite ?? false,
          ...(settings.phoneRegions ? { phoneRegions: settings.phoneRegions } : {}),
        }),
        stallTimer: stallTimer(service, runtime.logger, settings.stallCheckMs ?? DEFAULT_STALL_CHECK_MS),
        // cases recorded before identity linked leads to cases: named once (cases/lead-links.ts)
        leadLinks: leadLinksTask(runtime, cases, LEAD_LINKS_CHECK_MS),
        // the keys of partner dead letters that named nobody, once past the topic's retention
        deadLetterPurge: deadLetterPurgeTask(runtime),
      };
    },
    resolvers: () => ({
      ...scalarResolvers,
      Query: { ...claimResolvers.Query, ...caseResolvers.Query },
      Mutation: { ...claimResolvers.Mutation, ...caseResolvers.Mutation },
      Claim: claimResolvers.Claim,
      RecommendedAction: claimResolvers.RecommendedAction,
      Client: claimResolvers.Client,
      Contract: claimResolvers.Contract,
      Case: caseResolvers.Case,
      CaseEvent: caseResolvers.CaseEvent,
    }),
    context: createContext,
    consumers: async (parts) => {
      await subscribeIntake(parts.runtime, parts.service, parts.clock);
      await subscribePartnerIngestion(parts.runtime, parts.journal, settings.phoneRegions);
      await subscribeAssignments(parts.runtime, parts.service, parts.journal);
      await subscribeLifecycle(parts.runtime, parts.service);
      await subscribeErasure(parts.runtime, parts.claims, parts.cases);
      parts.stallTimer.start();
      parts.leadLinks.start();
      parts.deadLetterPurge.start();
    },
    stop: async (parts) => {
      await parts.stallTimer.stop();
      await parts.leadLinks.stop();
      await parts.deadLetterPurge.stop();
    },
  };
}

export const definition = claimsService();

/** The definition configured from the service's environment (CCI thresholds, stall timer, master key). */
export function definitionFromEnv(
  env: {
    CCI_AUTONOMOUS_BELOW?: number | undefined;
    CCI_ESCALATE_ABOVE?: number | undefined;
    CLAIM_STALL_DAYS?: number | undefined;
    CLAIM_STALL_CHECK_MS?: number | undefined;
    CLAIM_AUTO_ROUTING?: boolean | undefined;
    LEGACY_DUAL_WRITE?: boolean | undefined;
    PARTNER_PHONE_REGION?: PhoneRegion | undefined;
    PARTNER_PHONE_REGIONS?: Readonly<Record<string, PhoneRegion>> | undefined;
  } & Parameters<typeof servicePrivacyOf>[0],
): ServiceDefinition<ClaimsParts, ClaimsContext> {
  return claimsService({
    thresholds: parseThresholds({
      autonomousBelow: env.CCI_AUTONOMOUS_BELOW,
      escalateAbove: env.CCI_ESCALATE_ABOVE,
    }),
    ...(env.CLAIM_STALL_DAYS !== undefined ? { stallDays: env.CLAIM_STALL_DAYS } : {}),
    ...(env.CLAIM_STALL_CHECK_MS !== undefined ? { stallCheckMs: env.CLAIM_STALL_CHECK_MS } : {}),
    ...(env.CLAIM_AUTO_ROUTING !== undefined ? { autoRouting: env.CLAIM_AUTO_ROUTING } : {}),
    ...(env.LEGACY_DUAL_WRITE !== undefined ? { legacyDualWrite: env.LEGACY_DUAL_WRITE } : {}),
    phoneRegions: { fallback: env.PARTNER_PHONE_REGION ?? 'FR', bySource: env.PARTNER_PHONE_REGIONS ?? {} },
    privacy: servicePrivacyOf(env),
  });
}
