// npm run chat -- --offline: a terminal chat in French with the claims bot.
//   --offline   the engine alone, in this process, with a demo directory (working mode)
//   (default)   online mode: the running system (`npm start`) through the gateway;
//               CRM_GATEWAY_URL (default http://127.0.0.1:4000/graphql) and CRM_TOKEN
//               (default: the demo token `npm start` writes to .data/dev-token)
// In the chat: "/stt 0.4 texte" sends a message as if heard with STT confidence 0.4,
// "/contexte" prints the conversation context, "/quitter" leaves.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_DIRECTORY, type EngineOutcome } from '../engine';
import { type ChatTransport, OfflineTransport, OnlineTransport } from './chat-transport';

const BOT = process.stdout.isTTY ? '\x1b[36mBot\x1b[0m' : 'Bot';
const printBot = (replies: readonly string[]) => replies.forEach((r) => console.log(`${BOT} > ${r}`));

function printOutcome(outcome: EngineOutcome): void {
  if (outcome.type === 'IntakeCompleted') {
    const { decision, claim } = outcome;
    console.log(
      `\n[IntakeCompleted] ${claim.claimType}, ${claim.occurredAtLocal ?? claim.occurredOn}, CCI ${decision.cciScore} (${decision.policyVersion}) -> ${decision.handling}`,
    );
    for (const f of decision.factors) console.log(`   +${f.points} ${f.label}`);
    for (const tr of decision.triggers) console.log(`   ! ${tr.reason}`);
  } else {
    console.log(`\n[HandoffRequested] raison : ${outcome.reason}, phase : ${outcome.phase}`);
  }
}

async function chat(transport: ChatTransport, banner: string[]): Promise<void> {
  console.log(`Chat sinistres (${transport.name}). Clients de démonstration :`);
  banner.forEach((line) => console.log(`  ${line}`));
  console.log('Commandes : /stt <confiance> <texte>, /contexte, /quitter\n');
  printBot((await transport.start()).replies);
  const rl = createInterface({ input: process.stdin, terminal: process.stdin.isTTY });
  const prompt = () => {
    if (process.stdin.isTTY) process.stdout.write('Vous > ');
  };
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line.length === 0) {
      prompt();
      continue;
    }
    if (!process.stdin.isTTY) console.log(`Vous > ${line}`);
    if (line === '/quitter' || line === '/quit') break;
    if (line === '/contexte') {
      console.log(JSON.stringify(transport.snapshot(), null, 2));
      prompt();
      continue;
    }
    const stt = /^\/stt\s+([01](?:[.,]\d+)?)\s+(.*)$/.exec(line);
    const turn = stt
      ? await transport.send(stt[2] ?? '', Number((stt[1] ?? '1').replace(',', '.')))
      : await transport.send(line);
    printBot(turn.replies);
    turn.outcomes.forEach(printOutcome);
    if (turn.ended) {
      console.log('\n(fin de la conversation)');
      break;
    }
    prompt();
  }
  rl.close();
}

function offlineBanner(): string[] {
  return DEMO_DIRECTORY.map((c) => {
    const contracts = c.contracts.map((k) => `${k.contractNumber} (${k.type})`).join(', ');
    return `${c.matricule}  ${c.civility ?? ''} ${c.firstName} ${c.lastName}  contrats : ${contracts}  dossiers : ${c.claims.length}`;
  });
}

function onlineToken(): string | undefined {
  if (process.env.CRM_TOKEN) return process.env.CRM_TOKEN;
  const file = join(__dirname, '..', '..', '..', '..', '.data', 'dev-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--offline')) {
    await chat(new OfflineTransport(), offlineBanner());
    return 0;
  }
  const token = onlineToken();
  if (!token) {
    console.error(
      'Aucun jeton : démarrez le système (npm start) ou définissez CRM_TOKEN. Sans système : npm run chat -- --offline',
    );
    return 2;
  }
  const online = new OnlineTransport(process.env.CRM_GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql', token);
  const clients = await online.directory();
  await chat(
    online,
    clients.map((c) => `${c.matricule}  ${c.name}`),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
