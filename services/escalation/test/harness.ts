// Starts the real escalation service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token.
import { randomUUID } from 'node:crypto';
import { type Principal } from '@crm/auth';
import { type AnyEvent, type MemoryTransport } from '@crm/events';
import { revealFieldChanges, vaultOf, type RunningService } from '@crm/subgraph';
import type { AuditRow, FieldChange } from '@crm/db';
import { startServiceForTest, type GqlResult, type ServiceHarness, type TestDatabase } from '@crm/testing';
import type { EscalationParts } from '../src/context';
import { envSchema } from '../src/env';
import { escalationService, type EscalationSettings } from '../src/service';
import { graphql } from './generated';
import type {
  AdvisorFieldsFragment,
  AssignEscalationMutation,
  EntryFieldsFragment,
} from './generated/graphql';

export const SUPERVISOR: Principal = { sub: 'sup-1', roles: ['supervisor'] };

export type { GqlError, GqlResult } from '@crm/testing';

// The fields the tests read, typed from the SDL (test/generated): no result typed by hand.
graphql(`
  fragment AdvisorFields on Advisor {
    id
    name
    email
    status
    activeClaims
    capacity
  }
`);
graphql(`
  fragment EntryFields on EscalationEntry {
    id
    claim {
      id
    }
    client {
      id
    }
    reasons
    priority
    status
    advisor {
      id
    }
    queuedAt
    assignedAt
    resolvedAt
  }
`);
// where an entry comes from and where it stands (the call-request and handoff specs)
graphql(`
  fragment EntryOrigin on EscalationEntry {
    id
    origin
    status
    priority
    reasons
    queuedAt
    claim {
      id
    }
    client {
      id
    }
    case {
      id
    }
  }
`);
export type Advisor = AdvisorFieldsFragment;
export type Entry = EntryFieldsFragment;

export const REGISTER_ADVISOR = graphql(`
  mutation RegisterAdvisor($input: RegisterAdvisorInput!) {
    registerAdvisor(input: $input) {
      ...AdvisorFields
    }
  }
`);
export const SET_ADVISOR_STATUS = graphql(`
  mutation SetAdvisorStatus($input: SetAdvisorStatusInput!) {
    setAdvisorStatus(input: $input) {
      ...AdvisorFields
    }
  }
`);
export const ESCALATE_CLAIM = graphql(`
  mutation EscalateClaim($input: EscalateClaimInput!) {
    escalateClaim(input: $input) {
      ...EntryFields
    }
  }
`);
export const ASSIGN_ESCALATION = graphql(`
  mutation AssignEscalation($input: AssignEscalationInput!) {
    assignEscalation(input: $input) {
      ...EntryFields
    }
  }
`);
export const START_ESCALATION = graphql(`
  mutation StartEscalation($input: StartEscalationInput!) {
    startEscalation(input: $input) {
      ...EntryFields
    }
  }
`);
export const RESOLVE_ESCALATION = graphql(`
  mutation ResolveEscalation($input: ResolveEscalationInput!) {
    resolveEscalation(input: $input) {
      ...EntryFields
      resolution
    }
  }
`);

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
  gql: ServiceHarness['gql'];
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  outbox(subject: string): Promise<OutboxRow[]>;
  registerAdvisor(input?: Record<string, unknown>): Promise<Advisor>;
  escalate(input?: Record<string, unknown>): Promise<Entry>;
  assign(escalationId: string, advisorId: string): Promise<GqlResult<AssignEscalationMutation>>;
  stop(): Promise<void>;
}

/** A mutation's audit record as stored (the audit tests read them). */
export interface StoredAuditRecord {
  seq: string;
  operation: string;
  entityId: string | null;
  outcome: string;
  changes: Record<string, FieldChange> | null;
}

/** The records of the mutations naming this entity, oldest first, as stored. */
export const auditRecordsOf = (h: Harness, entityId: string): Promise<StoredAuditRecord[]> =>
  h.query<StoredAuditRecord>(
    `select seq, operation, entity_id as "entityId", outcome, changes from audit_log
      where entity_id = $1 and operation like 'Mutation.%' order by seq`,
    [entityId],
  );

/** The records' values opened with the service's vault (the entity is their key's subject). */
export async function openedAuditValues(h: Harness, entity: string, records: StoredAuditRecord[]) {
  const revealed = await revealFieldChanges(
    vaultOf(h.service.runtime),
    entity,
    records.map((r) => ({ ...r, seq: Number(r.seq) }) as unknown as AuditRow),
  );
  return records.map((r) => revealed.get(Number(r.seq)) ?? null);
}

export const codeOf = (r: GqlResult<unknown>): string | undefined => r.errors?.[0]?.extensions.code;

/**
 * `settings`: a pinned clock, a sweep interval (the service's defaults otherwise); `env`: extra
 * variables (SERVICE_URLS: where a test's producer releases the keys of its sealed events).
 */
export async function startHarness(
  label: string,
  settings: EscalationSettings = {},
  env: Record<string, string> = {},
): Promise<Harness> {
  const base = await startServiceForTest(escalationService(settings), {
    envSchema,
    principal: SUPERVISOR,
    label,
    env,
  });
  const { service } = base;
  const h: Harness = {
    db: base.db,
    service,
    transport: base.transport,
    send: (...events) => base.send(...events),
    processedCount: (consumer, eventIds) => base.processedCount(consumer, eventIds),
    sql: base.queries,
    gql: (query, variables, principal = SUPERVISOR) => base.gql(query, variables, principal),
    query: (text, params = []) => base.sql(text, params),
    // personal fields opened, as their consumers read them
    outbox: async (subject) =>
      (await base.outboxRows('message_key = $1', [subject])).map((r) => ({
        event_type: r.event_type,
        payload: r.payload as unknown as OutboxRow['payload'],
      })),
    async registerAdvisor(input = {}) {
      const r = await h.gql(REGISTER_ADVISOR, {
        input: { name: `Conseiller ${randomUUID().slice(0, 8)}`, ...input },
      });
      if (!r.data?.registerAdvisor) throw new Error(`registerAdvisor failed: ${JSON.stringify(r.errors)}`);
      return r.data.registerAdvisor;
    },
    async escalate(input = {}) {
      const r = await h.gql(ESCALATE_CLAIM, {
        input: {
          claimId: randomUUID(),
          clientId: randomUUID(),
          reasons: ['INJURIES'],
          ...input,
        },
      });
      if (!r.data?.escalateClaim) throw new Error(`escalateClaim failed: ${JSON.stringify(r.errors)}`);
      return r.data.escalateClaim;
    },
    assign: (escalationId, advisorId) => h.gql(ASSIGN_ESCALATION, { input: { escalationId, advisorId } }),
    stop: () => base.stop(),
  };
  return h;
}
