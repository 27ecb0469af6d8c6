// Starts the real identity service in-process (real PostgreSQL database of its own, in-process
// event transport) and calls it over HTTP with a gateway-minted internal token.
import { Writable } from 'node:stream';
import { mintInternalToken, type Principal } from '@crm/auth';
import { parseEnv } from '@crm/config';
import { MemoryTransport, type AnyEvent } from '@crm/events';
import { createLogger } from '@crm/logging';
import { startService, type RunningService } from '@crm/subgraph';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { envSchema } from '../src/env';
import { definition } from '../src/service';

const SECRET = 's'.repeat(48);
export const ADVISOR: Principal = { sub: 'advisor-42', roles: ['advisor'] };

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions: {
    code: string;
    details?: { problems?: { field: string; message: string }[] } & Record<string, unknown>;
  };
}
export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
}

export interface Harness {
  service: RunningService;
  db: TestDatabase;
  /** SQL statements sent since the last reset (N+1 checks) */
  queries: string[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GqlResult<T>>;
  /** events written to the outbox, oldest first */
  outbox(type?: string): Promise<AnyEvent[]>;
  stop(): Promise<void>;
}

export async function startIdentity(label: string): Promise<Harness> {
  const db = await createTestDatabase(`identity_${label}`);
  const queries: string[] = [];
  const service = await startService(definition, {
    env: parseEnv(envSchema, {
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'error',
      DATABASE_URL: db.url,
      INTERNAL_TOKEN_SECRET: SECRET,
    }),
    transport: new MemoryTransport(),
    logger: createLogger({
      service: 'identity',
      level: 'error',
      destination: new Writable({ write: (_c, _e, cb) => cb() }),
    }),
    onQuery: (sql) => queries.push(sql),
  });
  return {
    service,
    db,
    queries,
    async gql<T>(query: string, variables: Record<string, unknown> = {}, principal: Principal = ADVISOR) {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-crm-internal-token': await mintInternalToken(principal, 'identity', SECRET),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T | null; errors?: GqlError[] };
      return { status: res.status, ...body };
    },
    async outbox(type?: string) {
      const rows: { payload: AnyEvent }[] = await service.runtime.dataSource.query(
        `select payload from event_outbox ${type ? 'where event_type = $1' : ''} order by seq`,
        type ? [type] : [],
      );
      return rows.map((r) => r.payload);
    },
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}

let counter = 0;
/** A fresh, valid matricule per call within one file (files use different databases). */
export function nextMatricule(): string {
  counter += 1;
  const n = String(counter % 1000).padStart(3, '0');
  const letter = (i: number) => String.fromCharCode(65 + (Math.floor(counter / 1000 + i) % 26));
  return `${letter(0)}${letter(1)}-${n}-${letter(2)}${letter(3)}`;
}

export const CLIENT_FIELDS = `
  id matricule civility lastName firstName birthDate email phone address postalCode city
  status createdAt updatedAt
`;
export const CONTRACT_FIELDS = `
  id contractNumber type subscribedOn expiresOn status coverages thirdPartyDeductible
  collisionDeductible propertyDamageCover thirdPartyCover civilLiabilityCover createdAt
`;
