// Starts the real identity service in-process (real PostgreSQL database of its own, in-process
// event transport) and calls it over HTTP with a gateway-minted internal token. The documents
// are typed from the SDL (test/generated, npm run codegen): results need no hand-written types.
import { type Principal } from '@crm/auth';
import { startServiceForTest, type ServiceHarness } from '@crm/testing';
import { clientField, ENCRYPTED_CLIENT_COLUMNS } from '../src/client/client.repository';
import type { IdentityParts } from '../src/context';
import { envSchema } from '../src/env';
import { definitionFromEnv } from '../src/service';
import { graphql } from './generated';

export type { GqlError, GqlResult } from '@crm/testing';
export type Harness = ServiceHarness<IdentityParts>;
export const ADVISOR: Principal = { sub: 'advisor-42', roles: ['advisor'] };
/** erasure is a supervisor's (src/policies.ts) */
export const SUPERVISOR: Principal = { sub: 'supervisor-7', roles: ['supervisor'] };

export const startIdentity = (label: string): Promise<Harness> =>
  startServiceForTest(definitionFromEnv, { envSchema, principal: ADVISOR, label: `identity_${label}` });

const ENCRYPTED = new Set<string>(Object.values(ENCRYPTED_CLIENT_COLUMNS));

/**
 * Columns of a clients row as stored, the encrypted ones decrypted with the client's key
 * ("[erased]" once it was shredded): what the database holds, read the way only the service can.
 */
export async function storedClient(
  h: Harness,
  id: string,
  columns: readonly string[],
): Promise<Record<string, string | null>> {
  const [row] = await h.sql<Record<string, string | null>>(
    `select ${columns.map((c) => `"${c}"`).join(', ')} from clients where id = $1`,
    [id],
  );
  if (!row) throw new Error(`no clients row ${id}`);
  const reader = await h.service.parts.vault.reader([id]);
  return Object.fromEntries(
    columns.map((c) => {
      const value = row[c] ?? null;
      if (value === null || !ENCRYPTED.has(c)) return [c, value];
      const revealed = reader.decrypt(id, clientField(c), value);
      return [c, revealed.erased ? '[erased]' : revealed.value];
    }),
  );
}

let counter = 0;
/** A fresh, valid matricule per call within one file (files use different databases). */
export function nextMatricule(): string {
  counter += 1;
  const n = String(counter % 1000).padStart(3, '0');
  const letter = (i: number) => String.fromCharCode(65 + (Math.floor(counter / 1000 + i) % 26));
  return `${letter(0)}${letter(1)}-${n}-${letter(2)}${letter(3)}`;
}

// Every field of a client and of a contract the tests read, typed from the SDL (test/generated).
graphql(`
  fragment ClientFields on Client {
    id
    matricule
    civility
    lastName
    firstName
    birthDate
    email
    phone
    address
    postalCode
    city
    status
    createdAt
    updatedAt
  }
`);

graphql(`
  fragment ContractFields on Contract {
    id
    contractNumber
    type
    subscribedOn
    expiresOn
    status
    coverages
    thirdPartyDeductible
    collisionDeductible
    propertyDamageCover
    thirdPartyCover
    civilLiabilityCover
    createdAt
  }
`);

export const REGISTER_CLIENT = graphql(`
  mutation RegisterClient($input: RegisterClientInput!) {
    registerClient(input: $input) {
      ...ClientFields
    }
  }
`);

export const UPDATE_CLIENT = graphql(`
  mutation UpdateClient($input: UpdateClientInput!) {
    updateClient(input: $input) {
      ...ClientFields
    }
  }
`);

export const ERASE_CLIENT = graphql(`
  mutation EraseClient($id: ID!) {
    eraseClient(id: $id) {
      ...ClientFields
      contracts {
        id
        contractNumber
      }
    }
  }
`);

export const ISSUE_CONTRACT = graphql(`
  mutation IssueContract($input: IssueContractInput!) {
    issueContract(input: $input) {
      ...ContractFields
      client {
        id
        matricule
      }
    }
  }
`);
