// Integration-test harness (not part of the build, see tsconfig.json): a real claims service
// on a fresh PostgreSQL database, called over HTTP with a gateway-signed internal token.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { startServiceForTest, type GqlResult, type ServiceHarness } from '@crm/testing';
import type { ClaimsParts } from '../context';
import { envSchema } from '../env';
import { claimsService, type ClaimsServiceSettings } from '../service';

export type { GqlResult };
export const ADVISOR: Principal = { sub: 'adv-1', roles: ['advisor'] };
export const GATEWAY: Principal = { sub: 'gateway', roles: ['system'] };

export interface OutboxRow {
  event_type: string;
  message_key: string;
  payload: Record<string, unknown>;
}

export type Harness = Omit<ServiceHarness<ClaimsParts>, 'outbox'> & {
  /** rows written to the outbox, oldest first (the relay is off: exactly what each transaction wrote) */
  outbox(): Promise<OutboxRow[]>;
};

export async function startClaims(
  label: string,
  options: { onQuery?: (sql: string) => void; settings?: ClaimsServiceSettings } = {},
): Promise<Harness> {
  const h = await startServiceForTest(() => claimsService(options.settings), {
    envSchema,
    principal: ADVISOR,
    label,
    // outbox rows stay unsent, so tests read exactly what each transaction wrote
    relay: false,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  return {
    ...h,
    outbox: () => h.sql<OutboxRow>('select event_type, message_key, payload from event_outbox order by seq'),
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
