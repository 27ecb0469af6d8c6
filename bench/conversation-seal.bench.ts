// npm run bench:seal: the CPU a bot turn spends sealing and opening what it stores (issue 18):
// the conversation's context (a realistic one: 24 messages, a description) sealed and opened by
// ConversationCipher, beside the baseline it replaced in the same run, the plain JSON round trip
// of the same document. Then a partner's journal entry (a CALL_REQUESTED with its summary and an
// identity note) sealed and opened by claims' CaseCipher, beside its JSON round trip. Prints
// microseconds per call, three rounds each.
import { randomUUID } from 'node:crypto';
import { devMasterKeyRing, LocalKeyWrapper, MemoryKeyStore, PersonalDataVault } from '@crm/privacy';
import { CaseCipher } from '../services/claims/src/cases/case.cipher';
import type { CaseEventEntity } from '../services/claims/src/cases/case-event.entity';
import { ConversationCipher } from '../services/conversation/src/conversation/conversation.cipher';

const N = Number(process.env.BENCH_SEAL ?? 5_000);
const id = randomUUID();
const messages = Array.from({ length: 24 }, (_, i) => ({
  role: i % 2 ? 'user' : 'bot',
  texte:
    'Pouvez-vous estimer le montant des dégâts, en euros ? Si vous ne savez pas, dites simplement « je ne sais pas ».',
  timestamp: new Date(Date.UTC(2026, 0, 1, 9, 0, i)).toISOString(),
}));
const context = {
  conversation_id: id,
  sinistre_id: null,
  client_id: null,
  phase_actuelle: 'constat',
  data_collectee: {
    nom: 'Dupont',
    description: 'En faisant un créneau, j’ai accroché une voiture. '.repeat(6),
  },
  messages,
  dialogue: { status: 'active', profile: { clientId: randomUUID(), nom: 'Dupont' } },
};

async function perCall(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await run();
  return Number(process.hrtime.bigint() - start) / N / 1000;
}

async function main(): Promise<void> {
  const vault = new PersonalDataVault({
    store: new MemoryKeyStore(),
    wrapper: new LocalKeyWrapper(devMasterKeyRing()),
  });
  const cipher = new ConversationCipher(vault);
  const stored = await cipher.sealContext(id, context);
  console.log(`context: ${JSON.stringify(context).length} characters, ${N} calls per figure`);
  for (const round of [1, 2, 3]) {
    const seal = await perCall(() => cipher.sealContext(id, context));
    const open = await perCall(() => cipher.openConversations([{ id, context: { ...stored } }]));
    const json = await perCall(() => JSON.parse(JSON.stringify(context)) as unknown);
    console.log(
      `round ${round}: seal ${seal.toFixed(1)} µs, open ${open.toFixed(1)} µs; baseline JSON round trip ${json.toFixed(1)} µs`,
    );
  }

  const cases = new CaseCipher(vault);
  const caseId = randomUUID();
  const entry = {
    payload: {
      reason: 'case_complexity',
      visa_type: 'HABITATION',
      user_stage: 'devis',
      notes: 'Dégât des eaux chez son locataire : souhaite savoir qui déclare le sinistre',
    },
    summary: { executive_summary: 'Dossier solide, un justificatif manque', visa_score: 72 },
    notes: [{ field: 'phone' as const, code: 'PHONE.UNREADABLE' as const, received: 'appelez-moi le soir' }],
  };
  const sealedEntry = await cases.sealEntry(caseId, entry);
  const row = () => ({ ...sealedEntry, caseId }) as unknown as CaseEventEntity;
  console.log(`journal entry: ${JSON.stringify(entry).length} characters`);
  for (const round of [1, 2, 3]) {
    const seal = await perCall(() => cases.sealEntry(caseId, entry));
    const open = await perCall(() => cases.openEvents([row()]));
    const json = await perCall(() => JSON.parse(JSON.stringify(entry)) as unknown);
    console.log(
      `round ${round}: entry seal ${seal.toFixed(1)} µs, open ${open.toFixed(1)} µs; baseline JSON round trip ${json.toFixed(1)} µs`,
    );
  }
}

void main();
