// Starts the real escalation service in-process against a fresh test database, with the
// in-process event transport, and calls it over HTTP with a gateway token.
import { randomUUID } from 'node:crypto';
import { mintInternalToken, type Principal } from '@crm/auth';
import { MemoryTransport } from '@crm/events';
import { startService, type RunningService } from '@crm/subgraph';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { envSchema } from '../src/env';
import { definition } from '../src/service';

export const SECRET = 'e'.repeat(48);
export const SUPERVISOR: Principal = { sub: 'sup-1', roles: ['supervisor'] };

export interface GqlError {
  message: string;
  extensions: { code: string; details?: Record<string, unknown> & { problems?: { field: string }[] } };
}
export interface GqlResult<T> {
  data?: T | null;
  errors?: GqlError[];
}

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
  service: RunningService;
  /** the in-process event transport: tests put other services' events on it */
  transport: MemoryTransport;
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
  const db = await createTestDatabase(label);
  const sql: string[] = [];
  const transport = new MemoryTransport();
  const service = await startService(definition, {
    env: envSchema.parse({
      DATABASE_URL: db.url,
      INTERNAL_TOKEN_SECRET: SECRET,
      PORT: '0',
      LOG_LEVEL: 'silent',
    }),
    transport,
    onQuery: (q) => sql.push(q),
  });
  const tokens = new Map<string, string>();
  const tokenFor = async (p: Principal) => {
    let token = tokens.get(p.sub);
    if (!token) tokens.set(p.sub, (token = await mintInternalToken(p, 'escalation', SECRET)));
    return token;
  };

  const h: Harness = {
    db,
    service,
    transport,
    sql,
    async gql<T>(query: string, variables: Record<string, unknown> = {}, principal = SUPERVISOR) {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-crm-internal-token': await tokenFor(principal) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlResult<T>;
    },
    query: <T>(text: string, params: unknown[] = []) => service.runtime.dataSource.query<T[]>(text, params),
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
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
  return h;
}
