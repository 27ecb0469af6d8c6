// Integration-test harness (not part of the build, see tsconfig.json): a real claims service
// on a fresh PostgreSQL database, called over HTTP with a gateway-signed internal token.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { startServiceForTest, type GqlResult, type ServiceHarness } from '@crm/testing';
import { vaultOf } from '@crm/subgraph';
import type { IdentityNote } from '@crm/events';
import { CaseCipher } from '../src/cases/case.cipher';
import type { NewJournalEntry } from '../src/cases/case.repository';
import type { ClaimsParts } from '../src/context';
import { envSchema } from '../src/env';
import { graphql } from './generated';
import type { ClaimFieldsFragment, OpenClaimInput } from './generated/graphql';
import { claimsService, type ClaimsServiceSettings } from '../src/service';

export type { GqlResult };
export const ADVISOR: Principal = { sub: 'adv-1', roles: ['advisor'] };
export const GATEWAY: Principal = { sub: 'gateway', roles: ['system'] };

export interface OutboxRow {
  event_type: string;
  message_key: string;
  payload: Record<string, unknown>;
}

export type Harness = Omit<ServiceHarness<ClaimsParts>, 'outbox'> & {
  /**
   * rows written to the outbox, oldest first (the relay is off: exactly what each transaction
   * wrote), personal fields opened (`sql` reads them sealed, as stored)
   */
  outbox(): Promise<OutboxRow[]>;
  /** opens a claim as the bot would (declaration(overrides)); any error fails the test */
  open(overrides?: Record<string, unknown>): Promise<ClaimFieldsFragment>;
  /** a case set up as stored (its lead sealed under its key, as the service writes it) */
  seedCase(c: SeededCase): Promise<void>;
  /** journal entries set up as stored (their words sealed under their case's key) */
  seedJournal(entries: readonly SeededEntry[]): Promise<void>;
  /** the rows of a lead's cases (found by his blind index), oldest first, the lead opened */
  casesOfLead<T extends { lead_id: string | null }>(leadId: string): Promise<T[]>;
};

export interface SeededCase {
  id: string;
  leadId: string;
  intent: string;
  status: string;
  siteId?: string | null;
  ownerUid?: string | null;
  confidenceScore?: number | null;
  lastEventAt?: Date | string | null;
  nextActionAt?: Date | string | null;
  createdAt?: Date | string;
}

export interface SeededEntry {
  id: string;
  caseId: string;
  type: string;
  timestamp: Date | string;
  source: string;
  sourceId: string;
  payload: Record<string, unknown>;
  summary?: Record<string, unknown> | null;
  notes?: readonly IdentityNote[];
}

export async function startClaims(
  label: string,
  options: {
    onQuery?: (sql: string) => void;
    settings?: ClaimsServiceSettings;
    /** extra variables of the service (DATABASE_POOL_MAX...) */
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const h = await startServiceForTest(() => claimsService(options.settings), {
    envSchema,
    principal: ADVISOR,
    label,
    // outbox rows stay unsent, so tests read exactly what each transaction wrote
    relay: false,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const cipher = new CaseCipher(vaultOf(h.service.runtime));
  return {
    ...h,
    outbox: () => h.outboxRows(),
    async seedCase(c) {
      // as the service opens one (its repository: the lead sealed under a key of the case's own),
      // then the columns a case gets along its life
      const manager = h.service.runtime.dataSource.manager;
      await h.service.parts.cases.insertCase(manager, {
        id: c.id,
        leadId: c.leadId,
        intent: c.intent,
        siteId: c.siteId ?? '',
        status: c.status,
        createdAt: c.createdAt === undefined ? new Date() : new Date(c.createdAt),
      });
      await h.sql(
        `update cases set site_id = $2, owner_uid = $3, confidence_score = $4, last_event_at = $5, next_action_at = $6
          where case_id = $1`,
        [
          c.id,
          c.siteId ?? null,
          c.ownerUid ?? null,
          c.confidenceScore ?? null,
          c.lastEventAt ?? null,
          c.nextActionAt ?? null,
        ],
      );
    },
    async casesOfLead<T extends { lead_id: string | null }>(leadId: string) {
      const rows = await h.sql<T & { case_id: string }>(
        `select * from cases where lead_bidx = $1 order by created_at, case_id`,
        [await cipher.leadIndex(leadId)],
      );
      const opened = await h.service.parts.cases.findByIds(rows.map((r) => r.case_id));
      const leadOf = new Map(opened.map((c) => [c.id, c.leadEmail]));
      return rows.map((r) => ({ ...r, lead_id: leadOf.get(r.case_id) ?? null }));
    },
    async seedJournal(entries) {
      // as the service journals them (its repository: the words sealed under the case's key)
      for (const e of entries)
        await h.service.parts.cases.insertEvent(h.service.runtime.dataSource.manager, {
          ...e,
          type: e.type as NewJournalEntry['type'],
          timestamp: new Date(e.timestamp),
          summary: e.summary ?? null,
        });
    },
    async open(overrides = {}) {
      const res = await h.gql(OPEN_CLAIM, { input: declaration(overrides) });
      if (res.errors || !res.data) throw new Error(`openClaim failed: ${JSON.stringify(res.errors)}`);
      return res.data.openClaim;
    },
  };
}

/** A claim declaration as the bot would send it (seed scenario: rear-ended at a red light). */
export function declaration(overrides: Record<string, unknown> = {}): OpenClaimInput {
  // overrides may be wrong on purpose: the service's validation answers them
  return {
    clientId: randomUUID(),
    contractId: '22222222-2222-4222-8222-222222222222',
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    type: 'COLLISION',
    description: "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière",
    location: 'Lyon',
    thirdPartyInvolved: true,
    thirdPartyName: 'M. Martin',
    amicableReport: true,
    amicableReportNumber: 'CA-1',
    policeReport: false,
    estimatedDamage: '2500',
    photoUrls: ['https://photos.example.fr/1.jpg'],
    ...overrides,
  };
}

// Every field of a claim the tests read, typed from the SDL (test/generated).
graphql(`
  fragment ClaimFields on Claim {
    id
    claimNumber
    occurredAt
    occurredTimeKnown
    type
    description
    location
    thirdPartyInvolved
    thirdPartyName
    thirdPartyContact
    thirdPartyResponsible
    amicableReport
    amicableReportNumber
    policeReport
    policeReportNumber
    estimatedDamage
    estimatedOn
    photoUrls
    cciScore
    cciPolicyVersion
    cciFactors {
      code
      label
      points
    }
    status
    handling
    createdAt
    updatedAt
    closedAt
    archived
    archivedAt
    client {
      id
    }
    contract {
      id
    }
    assignedAdvisor {
      id
    }
    recommendedActions {
      id
      type
      description
      priority
      status
      createdAt
      executedAt
    }
    case {
      id
    }
    triggers {
      code
      kind
      reason
      at
    }
    statusHistory {
      from
      to
      reason
      actorKind
      actorId
      at
    }
    activity {
      kind
      label
      at
      detail
    }
  }
`);

export const OPEN_CLAIM = graphql(`
  mutation OpenClaim($input: OpenClaimInput!) {
    openClaim(input: $input) {
      ...ClaimFields
    }
  }
`);

export const UPDATE_CLAIM = graphql(`
  mutation UpdateClaim($input: UpdateClaimInput!) {
    updateClaim(input: $input) {
      ...ClaimFields
    }
  }
`);

export const CHANGE_CLAIM_STATUS = graphql(`
  mutation ChangeClaimStatus($input: ChangeClaimStatusInput!) {
    changeClaimStatus(input: $input) {
      ...ClaimFields
    }
  }
`);

export const RECORD_CLAIM_ACTIVITY = graphql(`
  mutation RecordClaimActivity($input: RecordClaimActivityInput!) {
    recordClaimActivity(input: $input) {
      ...ClaimFields
    }
  }
`);

export const CLAIM = graphql(`
  query Claim($id: ID!) {
    claim(id: $id) {
      ...ClaimFields
    }
  }
`);

export const ARCHIVE_CLAIM = graphql(`
  mutation ArchiveClaim($id: ID!) {
    archiveClaim(id: $id) {
      ...ClaimFields
    }
  }
`);
