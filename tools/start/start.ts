// `npm start`: the whole system in one command.
//
// Zero-setup mode (nothing configured): an embedded PostgreSQL whose data lives in .data/
// (kept across restarts), one database per service, the in-process event transport shared
// by the five services, the five subgraphs and the gateway in this process, demo data on
// the first start. Real mode: with DATABASE_URL (a server where the project may create its
// databases) and/or KAFKA_BROKERS set, the same command uses them instead.
//
// Ctrl-C (or SIGTERM) stops the gateway, the services and the embedded PostgreSQL.
//
// `npm start` runs this file with tsx on the sources; `npm run start:prod` runs its build
// (tools/start/dist/start.js, npm run build) with plain node, where every workspace resolves
// to its own dist/ through its package exports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateInternalKeys, InternalTokenSigner } from '@crm/auth';
import { withDatabase } from '@crm/db';
import { ensureLocalMasterKeyFile } from '@crm/privacy';
import { KafkaTransport, MemoryTransport, type Transport } from '@crm/events';
import { createLogger } from '@crm/logging';
import { stopOnSignals, type RunningService } from '@crm/subgraph';
import type { pgAnswers as PgAnswers, startEmbedded as StartEmbedded } from '../pg/postgres.mjs' with {
  'resolution-mode': 'import',
};
import { envSchema as gatewayEnvSchema } from '@crm/gateway/env';
import { startGatewayThread } from './gateway-thread';
import { SYSTEM } from './system';
import { devTokens, seedDemoData } from './seed';

// tools/start/ under tsx, tools/start/dist/ once compiled
const root = join(__dirname, ...(basename(__dirname) === 'dist' ? ['..', '..', '..'] : ['..', '..']));
// CRM_DATA_DIR: where zero-setup mode keeps its data (tests point it at a temporary folder)
const dataDir = process.env.CRM_DATA_DIR ?? join(root, '.data');
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg: string) => process.stdout.write(`${msg}\n`);
interface PgTools {
  startEmbedded: typeof StartEmbedded;
  pgAnswers: typeof PgAnswers;
}

// PORT: the gateway's port; the subgraphs take the next five (4000 -> 4001..4005)
const basePort = Number(process.env.PORT ?? 4000);
const portOf = (name: string) => basePort + 1 + SYSTEM.findIndex((s) => s.name === name);

const DEV_JWT = 'dev-only-jwt-secret-change-me-0123456789abcdef';

async function main(): Promise<void> {
  const logLevel = process.env.LOG_LEVEL ?? 'warn';
  const logger = createLogger({ service: 'start', level: logLevel });
  const stops: (() => Promise<void>)[] = [];
  mkdirSync(dataDir, { recursive: true });
  // one deadline for the whole stop (SHUTDOWN_TIMEOUT_MS, 10 s by default) whatever the broker
  // or the database do; a second Ctrl-C exits at once (stopOnSignals)
  const deadlineMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  stopOnSignals(
    {
      stop: async () => {
        say('\nstopping...');
        for (const stop of stops.reverse())
          await stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
        say('stopped.');
      },
    },
    logger,
    deadlineMs,
  );

  // --- PostgreSQL: DATABASE_URL (real mode), else our own embedded server and data folder
  // by its path from the root: the compiled file sits one folder deeper than this source
  const pgTools = pathToFileURL(join(root, 'tools', 'pg', 'postgres.mjs')).href;
  const { startEmbedded, pgAnswers } = (await import(pgTools)) as PgTools;
  let pgUrl: string;
  if (process.env.DATABASE_URL) {
    pgUrl = process.env.DATABASE_URL;
    const error = await pgAnswers(pgUrl, 5000);
    if (error) throw new Error(`DATABASE_URL does not answer: ${error}`);
    say(`PostgreSQL: DATABASE_URL (${elapsed()})`);
  } else {
    const embedded = await startEmbedded({
      dir: join(dataDir, 'postgres'),
      port: Number(process.env.EMBEDDED_PG_PORT ?? 54320),
      // stopped last, in order, by stopOnSignals below: not by the package's own exit hook
      callerHandlesSignals: true,
    });
    pgUrl = embedded.url;
    stops.push(embedded.stop);
    const where = dataDir.startsWith(root) ? dataDir.slice(root.length + 1) : dataDir;
    say(
      `PostgreSQL: embedded, data in ${where}/postgres${embedded.reused ? ' (reused a running server)' : ''} (${elapsed()})`,
    );
  }

  // --- events
  const brokers = process.env.KAFKA_BROKERS;
  const transport: Transport | undefined = brokers ? undefined : new MemoryTransport();
  say(`Events: ${brokers ? `Kafka at ${brokers}` : 'in-process transport'}`);

  // --- services
  // the gateway's key pair for internal tokens: a fresh one per run (they live seconds), unless given
  const internalPrivateKey = process.env.INTERNAL_TOKEN_PRIVATE_KEY ?? generateInternalKeys().privateKey;
  const internalPublicKey = new InternalTokenSigner(internalPrivateKey).publicKeyPem;
  // the bot's voice: written by conversation, served by the gateway (docs/voice.md)
  const audioDir = process.env.AUDIO_DIR ?? join(dataDir, 'audio');
  // the master key of the clients' personal data (docs/privacy.md): given, or a local key file
  // made on the first start and read on the next ones. It lives beside the data it protects:
  // the one is unreadable without the other, and deleting the data folder deletes both.
  const privacyKey =
    process.env.PRIVACY_MASTER_KEY || process.env.PRIVACY_MASTER_KEY_FILE
      ? {}
      : { PRIVACY_MASTER_KEY_FILE: ensureLocalMasterKeyFile(join(dataDir, 'privacy-master.key')) };
  const running: RunningService[] = [];
  // where each service answers the others' requests for the keys of its sealed events
  const serviceUrls = SYSTEM.map((s) => `${s.name}=http://127.0.0.1:${portOf(s.name)}`).join(',');
  for (const svc of SYSTEM) {
    const env = svc.envSchema.parse({
      ...process.env,
      LOG_LEVEL: logLevel,
      PORT: String(portOf(svc.name)),
      DATABASE_URL: withDatabase(pgUrl, `crm_${svc.name}`),
      INTERNAL_TOKEN_PUBLIC_KEY: internalPublicKey,
      SHUTDOWN_TIMEOUT_MS: String(Math.floor(deadlineMs / 2)),
      AUDIO_DIR: audioDir,
      SERVICE_URLS: process.env.SERVICE_URLS ?? serviceUrls,
      ...privacyKey,
      ...(brokers ? { KAFKA_BROKERS: brokers } : {}),
    });
    const service = await svc.start(env, transport);
    running.push(service);
  }
  // the five stop side by side, each within half the deadline (their SHUTDOWN_TIMEOUT_MS below):
  // a terminal's Ctrl-C also reaches the embedded PostgreSQL, which may be gone meanwhile
  stops.push(async () => {
    await Promise.all(running.map((service) => service.stop()));
  });
  say(`Subgraphs: ${SYSTEM.map((s) => `${s.name} :${portOf(s.name)}`).join(', ')} (${elapsed()})`);

  // --- the web front ends the gateway serves (built by npm install; again here if missing)
  if (!existsSync(join(root, 'web', 'dist', 'console', 'index.html'))) {
    const built = spawnSync('npm', ['run', '-s', 'web:build'], { cwd: root, stdio: 'inherit' });
    say(`Web front ends: ${built.status === 0 ? 'built' : 'NOT built (npm run web:build)'} (${elapsed()})`);
  }

  // --- gateway
  const gatewayEnv = gatewayEnvSchema.parse({
    ...process.env,
    PORT: String(basePort),
    ...Object.fromEntries(
      SYSTEM.map((svc) => [`${svc.name.toUpperCase()}_URL`, `http://127.0.0.1:${portOf(svc.name)}/graphql`]),
    ),
    LOG_LEVEL: logLevel,
    INTERNAL_TOKEN_PRIVATE_KEY: internalPrivateKey,
    JWT_SECRET: process.env.JWT_SECRET ?? DEV_JWT,
  });
  // the partner inbound topic: the demo data's call request is published there, as a partner
  // publishing on Kafka would (POST /api/v1/events goes to claims through the graph instead)
  const partnerTopic = running[0]!.runtime.events.catalog.topics.find((t) => t.format === 'partner')!.name;
  const partnerTransport =
    transport ??
    new KafkaTransport({
      brokers: (brokers ?? '').split(','),
      clientId: 'crm-start-partners',
      logger: createLogger({ service: 'partners', level: logLevel }),
    });
  if (partnerTransport !== transport) stops.push(() => partnerTransport.close());
  const publishPartner = (message: Record<string, unknown>, key: string) =>
    partnerTransport.send([{ topic: partnerTopic, key, value: JSON.stringify(message) }]);
  const gateway = await startGatewayThread({
    env: gatewayEnv,
    logLevel,
    onExit: (code) => {
      logger.error({ code }, 'the gateway thread ended on its own: stopping');
      process.kill(process.pid, 'SIGTERM');
    },
  });
  stops.push(() => gateway.stop());

  const seeded = await seedDemoData({
    gatewayUrl: gateway.url,
    jwtSecret: gatewayEnv.JWT_SECRET,
    publishPartner,
  });
  // said before the token file is written: whoever waits for that file reads this line too
  say(
    `Demo data: ${seeded.created ? `created (${seeded.summary})` : 'already there (kept from the last start)'}`,
  );
  // zero-setup mode only (a real JWT_SECRET is not the demo's to use): a token for each demo
  // person, to try the graph as each of them, then the one `npm run chat` (online) picks up,
  // written last because it also marks the end of the start
  const tokensFile = join(dataDir, 'dev-tokens.json');
  let consoleToken = seeded.token;
  if (!process.env.JWT_SECRET) {
    const tokens = await devTokens({
      gatewayUrl: gateway.url,
      jwtSecret: gatewayEnv.JWT_SECRET,
      supervisorToken: seeded.token,
    });
    // the console link opens as the first advisor (the supervisor's view is one link further)
    consoleToken = tokens.find((t) => t.role === 'advisor')?.token ?? seeded.token;
    writeFileSync(tokensFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    writeFileSync(join(dataDir, 'dev-token'), `${seeded.token}\n`, { mode: 0o600 });
  }
  const origin = gateway.url.replace('/graphql', '');
  say(`
Ready in ${elapsed()}.

  Advisor console   ${origin}/console#token=${consoleToken}
  Supervisor view   ${origin}/console#token=${seeded.token}
  Client chat       ${origin}/chat   (matricule AB-123-CD, for example)
  GraphQL gateway   ${gateway.url}
  Explorer          ${gateway.url.replace('/graphql', '/explorer')}#token=${seeded.token}
                    (works offline; the link carries a demo advisor token)
  Advisor token     ${seeded.token}
                    (for other clients: "Authorization: Bearer <token>")${
                      process.env.JWT_SECRET
                        ? ''
                        : `\n  Tokens per person ${tokensFile}\n                    (the supervisor, each advisor, each policyholder: try the graph as each)`
                    }
  Chat with the bot npm run chat            (against this system, in another terminal)
                    npm run chat -- --offline (the engine alone)

Ctrl-C stops everything.`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
