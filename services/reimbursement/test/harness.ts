// Starts the real reimbursement service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token. The documents are
// typed from the SDL (test/generated, npm run codegen): results need no hand-written types.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { type EventDataMap } from '@crm/events';
import { startServiceForTest, type ServiceHarness } from '@crm/testing';
import type { ReimbursementParts } from '../src/context';
import { envSchema } from '../src/env';
import { definition } from '../src/service';
import { graphql } from './generated';

export type { GqlResult } from '@crm/testing';
export type Harness = ServiceHarness<ReimbursementParts>;
export const ADVISOR: Principal = { sub: 'adv-42', roles: ['advisor'] };
export const PARTNER: Principal = { sub: 'partner-1', roles: ['partner'] };
/** a policyholder: his token's subject is his client id */
export const policyholder = (clientId: string): Principal => ({ sub: clientId, roles: ['client'] });

export const startReimbursement = (
  label: string,
  options: { relay?: boolean; onQuery?: (sql: string) => void } = {},
): Promise<Harness> => startServiceForTest(definition, { envSchema, principal: ADVISOR, label, ...options });

/** ClaimOpened's data as the claims service publishes it (what this service keeps: the ids). */
export function claimOpened(
  claimId: string,
  clientId: string,
  contractId: string | null = randomUUID(),
): EventDataMap['ClaimOpened'] {
  return {
    claimId,
    claimNumber: `SIN-2026-${claimId.slice(0, 6)}`,
    clientId,
    contractId,
    claimType: 'COLLISION',
    occurredOn: '2026-02-02',
    description: "On m'a percuté par l'arrière au feu rouge",
    channel: 'CHAT',
  };
}

/** ContractIssued's data as identity publishes it: an active contract, collision deductible 300 €. */
export function contractIssued(
  contractId: string,
  clientId: string,
  over: Partial<EventDataMap['ContractIssued']> = {},
): EventDataMap['ContractIssued'] {
  return {
    contractId,
    clientId,
    matricule: 'AB-123-CD',
    contractNumber: `CT-2026-${contractId.slice(0, 8).toUpperCase()}`,
    type: 'AUTO',
    status: 'ACTIVE',
    subscribedOn: '2025-01-01',
    coverages: ['bris de glace'],
    thirdPartyDeductible: '150.00',
    collisionDeductible: '300.00',
    propertyDamageCover: true,
    thirdPartyCover: true,
    civilLiabilityCover: true,
    issuedAt: '2025-01-01T09:00:00.000Z',
    ...over,
  };
}

graphql(`
  fragment ReimbursementFields on Reimbursement {
    id
    claim {
      id
    }
    amountClaimed
    amountAccepted
    deductibleApplied
    rejectionReason
    acceptedAt
    paidAt
    paymentMethod
    status
    createdAt
    updatedAt
  }
`);

/** staff's view: with the assessment, the proposal and the override */
graphql(`
  fragment AssessedFields on Reimbursement {
    ...ReimbursementFields
    origin
    assessment {
      outcome
      code
      reason
      coverage
      deductibleKind
      deductible
      contractId
      rulesVersion
    }
    proposal {
      amountAccepted
      deductibleApplied
      amountPaid
    }
    override {
      reason
      actorKind
      actorId
      proposed {
        amountAccepted
        deductibleApplied
      }
      amountAccepted
      deductibleApplied
    }
  }
`);

export const BY_CLAIM = graphql(`
  query AssessedReimbursementsOfClaim($claimId: ID!) {
    reimbursementsByClaim(claimId: $claimId) {
      ...AssessedFields
    }
  }
`);

export const CREATE_ASSESSED = graphql(`
  mutation CreateAssessedReimbursement($input: CreateReimbursementInput!) {
    createReimbursement(input: $input) {
      ...AssessedFields
    }
  }
`);

export const UPDATE_ASSESSED = graphql(`
  mutation UpdateAssessedReimbursement($input: UpdateReimbursementInput!) {
    updateReimbursement(input: $input) {
      ...AssessedFields
    }
  }
`);

export const CREATE = graphql(`
  mutation CreateReimbursement($input: CreateReimbursementInput!) {
    createReimbursement(input: $input) {
      ...ReimbursementFields
    }
  }
`);

export const UPDATE = graphql(`
  mutation UpdateReimbursement($input: UpdateReimbursementInput!) {
    updateReimbursement(input: $input) {
      ...ReimbursementFields
    }
  }
`);
