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
