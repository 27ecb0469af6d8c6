// Starts the real reimbursement service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token. The documents are
// typed from the SDL (test/generated, npm run codegen): results need no hand-written types.
import { type Principal } from '@crm/auth';
import { startServiceForTest, type ServiceHarness } from '@crm/testing';
import type { ReimbursementParts } from '../src/context';
import { envSchema } from '../src/env';
import { definition } from '../src/service';
import { graphql } from './generated';

export type { GqlResult } from '@crm/testing';
export type Harness = ServiceHarness<ReimbursementParts>;
export const ADVISOR: Principal = { sub: 'adv-42', roles: ['advisor'] };

export const startReimbursement = (label: string): Promise<Harness> =>
  startServiceForTest(definition, { envSchema, principal: ADVISOR, label });

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
