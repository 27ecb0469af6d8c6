// Starts the real escalation service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { type AnyEvent, type MemoryTransport } from '@crm/events';
import { type RunningService } from '@crm/subgraph';
import { startServiceForTest, type GqlResult, type TestDatabase } from '@crm/testing';
import type { EscalationParts } from '../src/context';
import { envSchema } from '../src/env';
import { definition } from '../src/service';

export const SUPERVISOR: Principal = { sub: 'sup-1', roles: ['supervisor'] };

export type { GqlError, GqlResult } from '@crm/testing';

export interface AdvisorJson {
  id: string;
  name: string;
  email: string | null;
  status: string;
  activeClaims: number;
  capacity: number;
}
export interface EntryJson {
  id: string;
  claim: { id: string };
  client: { id: string } | null;
  reasons: string[];
  priority: number;
  status: string;
  advisor: { id: string } | null;
  queuedAt: string;
  assignedAt: string | null;
  resolvedAt: string | null;
}
export const ENTRY_FIELDS = `id claim { id } client { id } reasons priority status advisor { id }
  queuedAt assignedAt resolvedAt`;

export interface OutboxRow {
  event_type: string;
  payload: { subject: string; actor: unknown; data: Record<string, unknown> };
}

export interface Harness {
  db: TestDatabase;
  service: RunningService<EscalationParts>;
  /** the in-process event transport: tests put other services' events on it */
  transport: MemoryTransport;
  /** puts events straight onto their topics, as their producer's relay would (duplicates included) */
  send(...events: AnyEvent[]): Promise<void>;
  /** how many of these events `consumer` recorded as processed */
  processedCount(consumer: string, eventIds: readonly string[]): Promise<number>;
  sql: string[];
  gql<T>(query: string, variables?: Record<string, unknown>, principal?: Principal): Promise<GqlResult<T>>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  outbox(subject: string): Promise<OutboxRow[]>;
  registerAdvisor(input?: Record<string, unknown>): Promise<AdvisorJson>;
  escalate(input?: Record<string, unknown>): Promise<EntryJson>;
  assign(escalationId: string, advisorId: string): Promise<GqlResult<{ assignEscalation: EntryJson }>>;
  stop(): Promise<void>;
}

export const codeOf = (r: GqlResult<unknown>): string | undefined => r.errors?.[0]?.extensions.code;

export async function startHarness(label: string): Promise<Harness> {
  const base = await startServiceForTest(definition, { envSchema, principal: SUPERVISOR, label });
  const { service } = base;
  const h: Harness = {
    db: base.db,
    service,
    transport: base.transport,
    send: (...events) => base.send(...events),
    processedCount: (consumer, eventIds) => base.processedCount(consumer, eventIds),
    sql: base.queries,
    gql: (query, variables = {}, principal = SUPERVISOR) => base.gql(query, variables, principal),
    query: (text, params = []) => base.sql(text, params),
    outbox: (subject) =>
      service.runtime.dataSource.query<OutboxRow[]>(
        `select event_type, payload from event_outbox where message_key = $1 order by seq`,
        [subject],
      ),
    async registerAdvisor(input = {}) {
      const r = await h.gql<{ registerAdvisor: AdvisorJson }>(
        `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id name email status activeClaims capacity } }`,
        { input: { name: `Conseiller ${randomUUID().slice(0, 8)}`, ...input } },
      );
      if (!r.data?.registerAdvisor) throw new Error(`registerAdvisor failed: ${JSON.stringify(r.errors)}`);
      return r.data.registerAdvisor;
    },
    async escalate(input = {}) {
      const r = await h.gql<{ escalateClaim: EntryJson }>(
        `mutation($input: EscalateClaimInput!) { escalateClaim(input: $input) { ${ENTRY_FIELDS} } }`,
        { input: { claimId: randomUUID(), clientId: randomUUID(), reasons: ['INJURIES'], ...input } },
      );
      if (!r.data?.escalateClaim) throw new Error(`escalateClaim failed: ${JSON.stringify(r.errors)}`);
      return r.data.escalateClaim;
    },
    assign: (escalationId, advisorId) =>
      h.gql<{ assignEscalation: EntryJson }>(
        `mutation($input: AssignEscalationInput!) { assignEscalation(input: $input) { ${ENTRY_FIELDS} } }`,
        { input: { escalationId, advisorId } },
      ),
    stop: () => base.stop(),
  };
  return h;
}
