// Integration-test harness (not part of the build, see tsconfig.json): a real claims service
// on a fresh PostgreSQL database, called over HTTP with a gateway-signed internal token.
import { randomUUID } from 'node:crypto';
import { mintInternalToken, type Principal } from '@crm/auth';
import { MemoryTransport } from '@crm/events';
import type { RunningService } from '@crm/subgraph';
import { startService } from '@crm/subgraph';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { claimsService, type ClaimsServiceSettings } from '../service';

const SECRET = 's'.repeat(40);

export const ADVISOR: Principal = { sub: 'adv-1', roles: ['advisor'] };
export const GATEWAY: Principal = { sub: 'gateway', roles: ['system'] };

export interface GqlResult<T> {
  data?: T;
  errors?: {
    message: string;
    path?: string[];
    extensions: { code: string; details?: Record<string, unknown> };
  }[];
}

export interface Harness {
  service: RunningService;
  /** the in-process event transport: tests deliver consumed events through it */
  transport: MemoryTransport;
  db: TestDatabase;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GqlResult<T>>;
  /** events written to the outbox, oldest first */
  outbox(): Promise<{ event_type: string; message_key: string; payload: Record<string, unknown> }[]>;
  stop(): Promise<void>;
}

export async function startClaims(
  label: string,
  options: { onQuery?: (sql: string) => void; settings?: ClaimsServiceSettings } = {},
): Promise<Harness> {
  const db = await createTestDatabase(label);
  const transport = new MemoryTransport();
  const service = await startService(claimsService(options.settings), {
    env: {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: 0,
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      INTERNAL_TOKEN_SECRET: SECRET,
      EVENT_NAMESPACE: '',
    },
    transport,
    // outbox rows stay unsent, so tests read exactly what each transaction wrote
    relay: false,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  return {
    service,
    transport,
    db,
    async gql<T>(query: string, variables: Record<string, unknown> = {}, principal: Principal = ADVISOR) {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-crm-internal-token': await mintInternalToken(principal, 'claims', SECRET),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlResult<T>;
    },
    async outbox() {
      return service.runtime.dataSource.query(
        `select event_type, message_key, payload from event_outbox order by seq`,
      );
    },
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}

/** A claim declaration as the bot would send it (seed scenario: rear-ended at a red light). */
export function declaration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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

export const CLAIM_FIELDS = `
  id claimNumber occurredAt type description location thirdPartyInvolved thirdPartyName thirdPartyContact
  thirdPartyResponsible amicableReport amicableReportNumber policeReport policeReportNumber
  estimatedDamage estimatedOn photoUrls cciScore cciPolicyVersion cciFactors { code label points }
  status handling createdAt updatedAt closedAt archived archivedAt
  client { id } contract { id } assignedAdvisor { id }
  recommendedActions { id type description priority status createdAt executedAt }
  case { id }
`;
