// Integration-test harness (not part of the build, see tsconfig.json): a real claims service
// on a fresh PostgreSQL database, called over HTTP with a gateway-signed internal token.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { startServiceForTest, type GqlResult, type ServiceHarness } from '@crm/testing';
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
};

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
  return {
    ...h,
    outbox: () => h.outboxRows(),
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
