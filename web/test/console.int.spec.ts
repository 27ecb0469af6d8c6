// The two front ends in a real browser against the real system (its processes, PostgreSQL,
// Kafka), issue "Done when": Claire Martin's console (/console) is open when a policyholder,
// in another browser context, declares an injury claim to the bot in the chat (/chat), typing
// like a person. The entry appears in her queue without a reload, with the client's name and
// the claim's CCI breakdown; she takes it ("Prendre"); the chat tells the client she takes over;
// they write to each other, each message reaching the other page live; she records a
// reimbursement in the claim file, and the graph has it. Every step leaves a screenshot in
// web/test/artifacts/. At the end neither page asked anything of another origin nor logged an
// error, and every page came with a strict CSP.
//
// Then, on the same system: the chat rebuilt after a reload, a status change, an error in words,
// and the supervisor's view. Chromium: /usr/bin/chromium (apt-get install chromium) or
// $CHROMIUM_PATH; the build: web/dist (npm test builds it first).
import { issueUserToken } from '@crm/auth';
import {
  type GatewayReplica,
  type GraphQLCall,
  type ReplicatedSystem,
  randomSuffix,
  startReplicatedSystem,
  waitFor,
} from '@crm/testing';
import type { Locator, Page } from 'playwright-core';
import { type BrowserSession, normalizeSpaces, startBrowser, type WatchedPage } from './browser';

/** live updates (Kafka, subscriptions) on a busy 2-core machine: generous, never tight */
const LIVE = { timeoutMs: 30_000, intervalMs: 200 };

const SEND_MESSAGE = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { reply } }`;

/** A matricule of this run: two letters, three digits, two letters (consonants: never a word). */
function randomMatricule(): string {
  const letters = 'BCDFGHJKLMNPRSTV';
  const hex = randomSuffix(4);
  const letter = (i: number) => letters[parseInt(hex[i]!, 16)]!;
  const digit = (i: number) => String(parseInt(hex[i]!, 16) % 10);
  return `${letter(0)}${letter(1)}-${digit(2)}${digit(3)}${digit(4)}-${letter(5)}${letter(6)}`;
}

/** What a locator's elements read, spaces normalized (Intl writes U+202F in amounts). */
const textsOf = async (locator: Locator): Promise<string[]> =>
  (await locator.allInnerTexts()).map(normalizeSpaces);

/** Types into a field key by key, as a person does (the page sees every input event). */
async function typeLikeAPerson(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.pressSequentially(text, { delay: 12 });
}

describe('the console and the chat in a browser: declaration, handoff, exchange, reimbursement', () => {
  let system: ReplicatedSystem;
  let gateway: GatewayReplica;
  let supervisorToken: string;
  let supervisor: GraphQLCall;
  let claire: { id: string; token: string };
  let browser: BrowserSession | undefined;
  let consolePage: WatchedPage;
  let chatPage: WatchedPage;

  const matricule = randomMatricule();
  const contractNumber = `AUTO-2021-${parseInt(randomSuffix(2), 16)}`;
  const suffix = randomSuffix(2);

  // what the steps learn and hand to the next ones
  let claimId: string;
  let claimNumber: string;
  /** the console's queue entry of this client */
  let entry: Locator;

  // the pages' parts, by the UI contract's names
  const chat = () => chatPage.page;
  const console_ = () => consolePage.page;
  const chatMessages = (author?: string) =>
    chat().locator(author ? `[data-testid="message"][data-author="${author}"]` : '[data-testid="message"]');
  const chatStatus = () => chat().getByTestId('chat-status');
  const claimFile = () => console_().getByRole('region', { name: 'Dossier' });
  const conversationPanel = () => console_().getByRole('region', { name: 'Conversation avec le client' });
  const consoleMessages = (author: string) =>
    conversationPanel().locator(`[data-testid="message"][data-author="${author}"]`);

  /** The client writes in the chat and sends with Enter; his message shows in the transcript. */
  async function clientWrites(text: string): Promise<void> {
    const composer = chat().getByLabel('Votre message');
    await typeLikeAPerson(composer, text);
    await composer.press('Enter');
    await waitFor(
      `the client's message « ${text} » in the chat's transcript`,
      async () => (await textsOf(chatMessages('client'))).some((t) => t.includes(normalizeSpaces(text))),
      LIVE,
    );
  }

  /** The client writes; the bot's answer (one or more messages) matches `answer`. */
  async function clientTellsTheBot(text: string, answer: RegExp): Promise<void> {
    const before = await chatMessages('bot').count();
    await clientWrites(text);
    await waitFor(
      `the bot's answer ${String(answer)} to « ${text} »`,
      async () => answer.test((await textsOf(chatMessages('bot'))).slice(before).join(' ')),
      LIVE,
    );
  }

  /** Claire writes in the console's conversation panel and sends it. */
  async function advisorWrites(text: string): Promise<void> {
    await typeLikeAPerson(conversationPanel().getByLabel('Message au client'), text);
    await conversationPanel().getByRole('button', { name: 'Envoyer' }).click();
    await waitFor(
      `Claire's message « ${text} » in the console's transcript`,
      async () => (await textsOf(consoleMessages('advisor'))).some((t) => t.includes(normalizeSpaces(text))),
      LIVE,
    );
  }

  /** How many messages of `locator` hold `text` (a message shown twice is a bug). */
  const occurrences = async (locator: Locator, text: string) =>
    (await textsOf(locator)).filter((t) => t.includes(normalizeSpaces(text))).length;

  const shoot = (page: Page, step: string) => browser!.screenshot(page, step);

  /** what the main scenario reached: the later cases build on it, and say so when it failed */
  const reached = new Set<'claim file' | 'exchange' | 'reimbursement'>();
  const needs = (milestone: 'claim file' | 'exchange' | 'reimbursement') => {
    if (!reached.has(milestone))
      throw new Error(`not run: the main scenario (the test above) did not reach its ${milestone} step`);
  };

  /** A browser case: on failure, a screenshot of every open page (NN-failed-<page>.png) first. */
  const inBrowser = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (err) {
      for (const watched of browser?.pages ?? []) {
        if (!watched.page.isClosed())
          await browser!.screenshot(watched.page, `failed-${watched.name}`).catch(() => '');
      }
      throw err;
    }
  };

  beforeAll(async () => {
    system = await startReplicatedSystem({
      label: 'browser',
      gateways: 1,
      // the setup polls the bot with the new matricule until identity's events reach its
      // directory: each miss counts as a failed authentication from this one address
      serviceEnv: { conversation: { BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY: '100000' } },
    });
    gateway = system.gateways[0]!;
    supervisorToken = await issueUserToken(
      { sub: `sup-browser-${suffix}`, roles: ['advisor', 'supervisor'], name: 'Nadia Benali' },
      system.userTokens,
    );
    supervisor = gateway.as(supervisorToken);

    // Claire is on a call (BUSY): the transfer waits in the queue until she takes it herself
    const { registerAdvisor } = await supervisor<{ registerAdvisor: { id: string } }>(
      `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
      { input: { name: 'Claire Martin', status: 'BUSY', capacity: 5, specialty: 'sinistre_complexe' } },
    );
    claire = {
      id: registerAdvisor.id,
      token: await issueUserToken(
        { sub: registerAdvisor.id, roles: ['advisor'], name: 'Claire Martin' },
        system.userTokens,
      ),
    };

    // the policyholder and his car insurance, through the graph
    const { registerClient } = await supervisor<{ registerClient: { id: string } }>(
      `mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }`,
      {
        input: {
          matricule,
          civility: 'M.',
          lastName: 'Lefèvre',
          firstName: 'Julien',
          email: `julien.lefevre.${suffix}@example.fr`,
          phone: '06 23 45 67 89',
          city: 'Paris',
        },
      },
    );
    await supervisor(`mutation($input: IssueContractInput!) { issueContract(input: $input) { id } }`, {
      input: {
        clientId: registerClient.id,
        contractNumber,
        type: 'AUTO',
        subscribedOn: '2021-04-12',
        status: 'ACTIVE',
        coverages: ['rc', 'dommages_tous_accidents'],
      },
    });
    // the bot reads him back once identity's events reached its directory (Kafka)
    await waitFor(
      'the bot to know the new matricule and its contract',
      async () => {
        const { startConversation } = await supervisor<{
          startConversation: { conversation: { id: string } };
        }>(`mutation { startConversation { conversation { id } } }`);
        const { sendMessage } = await supervisor<{ sendMessage: { reply: string } }>(SEND_MESSAGE, {
          input: { conversationId: startConversation.conversation.id, text: matricule },
        });
        return sendMessage.reply.includes(`Lefèvre Julien, contrat ${contractNumber}`);
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );

    browser = await startBrowser({ origin: gateway.baseUrl });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  }, 60_000);

  it('serves /console, /chat and their assets with strict security headers and no inline script', async () => {
    const expectStrict = (path: string, res: Response) => {
      const csp = res.headers.get('content-security-policy');
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(csp).toEqual(expect.stringContaining("default-src 'none'"));
      expect(csp).toEqual(expect.stringContaining("script-src 'self'"));
      expect(csp).toEqual(expect.stringContaining("frame-ancestors 'none'"));
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:\/\/(?!127\.0\.0\.1)/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    };
    const assets = new Set<string>();
    for (const path of ['/console', '/chat']) {
      const res = await fetch(`${gateway.baseUrl}${path}`);
      expectStrict(path, res);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      // every script comes from a file of this origin: none written in the page
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      for (const [, src] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) assets.add(src!);
    }
    expect(assets.size).toBeGreaterThan(0);
    for (const asset of assets) {
      const res = await fetch(`${gateway.baseUrl}${asset}`);
      expectStrict(asset, res);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // the type the file's extension says (a script is never served as anything else)
      const types: Record<string, RegExp> = {
        js: /^text\/javascript/,
        css: /^text\/css/,
        svg: /^image\/svg\+xml$/,
      };
      expect(res.headers.get('content-type')).toMatch(types[asset.split('.').pop()!] ?? /^$/);
      await res.arrayBuffer();
    }
  }, 30_000);

  it(
    'the advisor sees the chat visitor’s injury claim arrive live, takes it, talks with him and records a reimbursement',
    inBrowser(async () => {
      // --- Claire's console is open first: her name, her status, an empty queue for this client
      consolePage = await browser!.open('console', `/console#token=${encodeURIComponent(claire.token)}`);
      await console_().getByText('Claire Martin').first().waitFor();
      expect(await console_().getByLabel('Mon statut').locator('option:checked').innerText()).toMatch(
        /Occupé/,
      );
      await console_().getByRole('tab', { name: "File d'attente" }).waitFor();
      await console_().getByRole('tab', { name: 'Mes dossiers' }).waitFor();
      // an advisor without the supervisor role has no Supervision tab
      expect(await console_().getByRole('tab', { name: 'Supervision' }).count()).toBe(0);
      const queue = console_().getByRole('region', { name: "File d'attente" });
      await queue.waitFor();
      entry = queue.locator('[data-testid="queue-entry"]').filter({ hasText: 'Lefèvre' });
      expect(await entry.count()).toBe(0);
      await shoot(console_(), 'console-open');

      // --- a policyholder opens the chat in another browser: the bot greets him
      chatPage = await browser!.open('chat', '/chat');
      await chat().getByRole('main', { name: 'Assistance sinistres' }).waitFor();
      await chat().getByRole('log', { name: 'Conversation' }).waitFor();
      await waitFor(
        "the bot's greeting asking for the matricule",
        async () => /numéro de matricule/.test((await textsOf(chatMessages('bot'))).join(' ')),
        LIVE,
      );
      await shoot(chat(), 'chat-greeting');

      // --- he declares an accident with an injury, typing each answer
      const script: [string, RegExp][] = [
        [
          matricule.toLowerCase().replace(/-/g, ' '),
          new RegExp(`Vous êtes bien Lefèvre Julien, contrat ${contractNumber}`),
        ],
        ["Oui, c'est bien moi", /ce qui s'est passé/],
        [
          "J'étais arrêté au feu rouge, une voiture m'a percuté par l'arrière, avant-hier vers 8h sur le boulevard Voltaire à Paris",
          /blessés ou des douleurs/,
        ],
        ["Oui, j'ai mal au cou", /constat amiable/],
        ['Oui', /police ou la gendarmerie/],
        ['Oui les policiers sont venus', /photos/],
        ['Oui', /montant des dégâts/],
        ['Je ne sais pas', /Je récapitule.*des blessés/],
      ];
      for (const [text, answer] of script) await clientTellsTheBot(text, answer);
      await shoot(chat(), 'chat-recap');
      await clientTellsTheBot('Oui, c’est exact', /attention particulière.*conseiller/);
      await waitFor(
        'the chat to say the client waits in the queue',
        async () => /dans la file/.test(normalizeSpaces(await chatStatus().innerText())),
        LIVE,
      );
      expect(await chatStatus().getAttribute('role')).toBe('status');
      await shoot(chat(), 'chat-transferred');

      // the claim the bot opened, as the graph has it: what the console must show
      const claim = await waitFor(
        'the claim linked to the conversation',
        async () => {
          const { clientByMatricule } = await supervisor<{
            clientByMatricule: {
              claims: { edges: { node: { id: string } }[] } | null;
            } | null;
          }>(
            `query($m: String!) { clientByMatricule(matricule: $m) { claims(first: 5) { edges { node { id } } } } }`,
            {
              m: matricule,
            },
          ).catch(() => ({ clientByMatricule: null }));
          const id = clientByMatricule?.claims?.edges[0]?.node.id;
          if (!id) return undefined;
          const { claim } = await supervisor<{
            claim: {
              id: string;
              claimNumber: string;
              cciScore: number | null;
              cciFactors: { code: string; label: string; points: number }[];
            };
          }>(
            `query($id: ID!) { claim(id: $id) { id claimNumber cciScore cciFactors { code label points } } }`,
            {
              id,
            },
          );
          return claim.cciScore !== null ? claim : undefined;
        },
        { timeoutMs: 45_000, intervalMs: 500 },
      );
      claimId = claim.id;
      claimNumber = claim.claimNumber;

      // --- the entry appears in Claire's queue, live (no reload), with his name and why
      await entry.first().waitFor({ timeout: LIVE.timeoutMs });
      expect(await entry.count()).toBe(1);
      const entryText = normalizeSpaces(await entry.innerText());
      expect(entryText).toContain('Julien');
      expect(entryText).toMatch(/bless/i);
      expect(await entry.getAttribute('data-entry-id')).toBeTruthy();
      await entry.getByTestId('waiting-time').waitFor();
      // live: the console never reloaded (one document since it opened)
      expect((await consolePage.documents()).map((d) => d.url)).toHaveLength(1);
      await shoot(console_(), 'console-entry-arrived');

      // --- she opens it: the claim file, with the CCI and where its points come from
      await entry.getByRole('button', { name: 'Ouvrir' }).click();
      await claimFile()
        .getByRole('heading', { name: new RegExp(claimNumber) })
        .waitFor();
      for (const section of [
        'Client',
        'Contrat',
        'Faits',
        'Indice de complexité (CCI)',
        'Actions recommandées',
        'Historique',
        'Remboursements',
        'Documents et photos',
        'Journal partenaire',
      ]) {
        await claimFile().getByRole('heading', { name: section, exact: true }).waitFor();
      }
      // told "avant-hier vers 8h": the hour is known, in Paris time
      expect(normalizeSpaces(await claimFile().innerText())).toMatch(/Survenu le \d{2}\/\d{2}\/\d{4} 08:00/);
      const factors = claimFile().getByTestId('cci-factor');
      await factors.first().waitFor();
      const factorTexts = await textsOf(factors);
      expect(factorTexts).toHaveLength(claim.cciFactors.length);
      for (const factor of claim.cciFactors) {
        expect(factorTexts.some((t) => t.includes(normalizeSpaces(factor.label)))).toBe(true);
      }
      // a factor for the injuries, and the score
      expect(factorTexts.some((t) => /bless/i.test(t))).toBe(true);
      // the score, in its section (a region named by its heading) or at least in the file
      const cciSection = claimFile().getByRole('region', { name: 'Indice de complexité (CCI)' });
      const cciText = normalizeSpaces(
        await ((await cciSection.count()) > 0 ? cciSection : claimFile()).innerText(),
      );
      expect(cciText).toMatch(new RegExp(`\\b${claim.cciScore}\\b`));
      await factors.first().scrollIntoViewIfNeeded();
      await shoot(console_(), 'console-claim-file');
      reached.add('claim file');

      // --- she takes it: the entry is hers, the conversation panel holds what was said
      await entry.getByRole('button', { name: 'Prendre' }).click();
      await waitFor(
        'the entry assigned to Claire in the graph',
        async () => {
          const { claim: held } = await supervisor<{
            claim: { escalation: { status: string; advisor: { id: string } | null } | null };
          }>(`query($id: ID!) { claim(id: $id) { escalation { status advisor { id } } } }`, { id: claimId });
          return held.escalation?.advisor?.id === claire.id;
        },
        LIVE,
      );
      await conversationPanel().getByRole('log').waitFor();
      await waitFor(
        'the conversation so far in the console',
        async () => (await occurrences(consoleMessages('client'), "j'ai mal au cou")) === 1,
        LIVE,
      );
      await shoot(console_(), 'console-taken');

      // --- the chat tells the client who answers now
      await waitFor(
        'the chat to say that Claire takes over',
        async () => {
          const status = normalizeSpaces(await chatStatus().innerText());
          return status.includes('Claire') && status.includes('prend le relais');
        },
        LIVE,
      );
      await shoot(chat(), 'chat-handoff');

      // --- they write to each other, each message reaching the other page live
      const exchange: [string, string][] = [
        [
          `Bonjour Monsieur Lefèvre, je suis Claire (${suffix}). Avez-vous consulté un médecin pour votre cou ?`,
          'Bonjour, pas encore, j’ai seulement mal quand je tourne la tête.',
        ],
        [
          'Je vous conseille de consulter aujourd’hui et de garder le certificat médical.',
          'D’accord, j’ai rendez-vous chez mon médecin cet après-midi.',
        ],
      ];
      for (const [advisorText, clientText] of exchange) {
        await advisorWrites(advisorText);
        await waitFor(
          'Claire’s message in the chat',
          async () => (await occurrences(chatMessages('advisor'), advisorText)) === 1,
          LIVE,
        );
        await clientWrites(clientText);
        await waitFor(
          'the client’s message in the console',
          async () => (await occurrences(consoleMessages('client'), clientText)) === 1,
          LIVE,
        );
      }
      // the bot keeps quiet while she holds the conversation
      const bots = await textsOf(chatMessages('bot'));
      expect(bots.filter((t) => /attention particulière/.test(t)).length).toBe(1);
      await shoot(chat(), 'chat-exchange');
      await shoot(console_(), 'console-exchange');
      reached.add('exchange');

      // --- she records a reimbursement in the claim file: typed the French way
      await typeLikeAPerson(claimFile().getByLabel('Montant demandé'), '1 250,50');
      const method = claimFile().getByLabel('Mode de paiement');
      const transfer = (await method.locator('option').allInnerTexts()).find((o) => /virement/i.test(o));
      if (transfer) await method.selectOption({ label: transfer });
      await claimFile().getByRole('button', { name: 'Créer le remboursement' }).click();
      const row = claimFile()
        .getByTestId('reimbursement')
        .filter({ hasText: /1\s?250,50/ });
      await row.first().waitFor({ timeout: LIVE.timeoutMs });
      const rowText = normalizeSpaces(await row.first().innerText());
      expect(rowText).toContain('1 250,50 €');
      expect(rowText).toContain('En attente');
      await row.first().scrollIntoViewIfNeeded();
      await shoot(console_(), 'console-reimbursement');
      reached.add('reimbursement');

      // ...and the graph has it
      const { reimbursementsByClaim } = await supervisor<{
        reimbursementsByClaim: { amountClaimed: string; status: string; paymentMethod: string | null }[];
      }>(`query($id: ID!) { reimbursementsByClaim(claimId: $id) { amountClaimed status paymentMethod } }`, {
        id: claimId,
      });
      expect(reimbursementsByClaim).toEqual([
        {
          amountClaimed: '1250.50',
          status: 'PENDING',
          paymentMethod: transfer ? 'BANK_TRANSFER' : expect.anything(),
        },
      ]);

      // --- nothing left the origin, nothing went wrong, every page came with a strict CSP
      browser!.expectClean({ pages: [consolePage, chatPage] });
      for (const watched of [consolePage, chatPage]) {
        const documents = await watched.documents();
        expect(documents.length).toBeGreaterThan(0);
        for (const document of documents) {
          const csp = document.headers['content-security-policy'];
          expect({ url: document.url, csp }).toEqual({ url: document.url, csp: expect.any(String) });
          expect(csp).not.toContain("'unsafe-inline'");
        }
      }
    }),
    240_000,
  );

  it(
    'the chat survives a reload mid-conversation: the transcript rebuilt, nothing twice, still live',
    inBrowser(async () => {
      needs('exchange');
      const before = normalizeSpaces(
        (await chatMessages('advisor').allInnerTexts()).map(normalizeSpaces).join(' | '),
      );
      expect(before).not.toBe('');
      await chat().reload({ waitUntil: 'load' });
      await waitFor(
        'the transcript rebuilt after the reload',
        async () => (await occurrences(chatMessages('client'), 'j’ai rendez-vous chez mon médecin')) === 1,
        LIVE,
      );
      // the same conversation, not a new one: the greeting once, the advisor's messages once each
      expect(normalizeSpaces((await textsOf(chatMessages('advisor'))).join(' | '))).toBe(before);
      expect((await textsOf(chatMessages('bot'))).filter((t) => /numéro de matricule/.test(t))).toHaveLength(
        1,
      );
      expect(await occurrences(chatMessages('client'), "J'étais arrêté au feu rouge")).toBe(1);
      await waitFor(
        'the status after the reload',
        async () => /prend le relais/.test(normalizeSpaces(await chatStatus().innerText())),
        LIVE,
      );
      await shoot(chat(), 'chat-reloaded');

      // and both ways still live
      const fromClaire = `Je vois votre dossier ${claimNumber}, je reste avec vous.`;
      await advisorWrites(fromClaire);
      await waitFor(
        'Claire’s message in the reloaded chat',
        async () => (await occurrences(chatMessages('advisor'), fromClaire)) === 1,
        LIVE,
      );
      const fromClient = 'Merci, je vous envoie le constat signé ce soir.';
      await clientWrites(fromClient);
      await waitFor(
        'the client’s message after his reload, in the console',
        async () => (await occurrences(consoleMessages('client'), fromClient)) === 1,
        LIVE,
      );
      await shoot(chat(), 'chat-after-reload-exchange');
      browser!.expectClean({ pages: [consolePage, chatPage] });
    }),
    90_000,
  );

  it(
    'the advisor moves the claim to one of the statuses its file offers',
    inBrowser(async () => {
      needs('claim file');
      const read = async () =>
        (
          await supervisor<{ claim: { status: string; allowedTransitions: string[] } }>(
            `query($id: ID!) { claim(id: $id) { status allowedTransitions } }`,
            { id: claimId },
          )
        ).claim;
      // EscalationStarted reaches claims through Kafka
      await waitFor('the taken claim IN_PROGRESS', async () => (await read()).status === 'IN_PROGRESS', LIVE);
      const before = await read();
      // taking the entry (« Prendre ») moved the escalated claim to IN_PROGRESS by itself (issue 19)
      expect(before.status).toBe('IN_PROGRESS');
      expect(before.allowedTransitions).toContain('EXPERT_REVIEW');
      const select = claimFile().getByLabel('Nouveau statut');
      const offered = (await select.locator('option').allInnerTexts()).map(normalizeSpaces);
      const expertise = offered.find((o) => /^expertise$/i.test(o));
      expect({ offered, expertise }).toEqual({ offered, expertise: expect.any(String) });
      await select.selectOption({ label: expertise! });
      await typeLikeAPerson(
        claimFile().getByLabel('Motif', { exact: true }),
        'Certificat médical attendu, expertise médicale demandée',
      );
      await claimFile().getByRole('button', { name: 'Changer le statut' }).click();
      await waitFor(
        'the claim EXPERT_REVIEW in the graph',
        async () =>
          (
            await supervisor<{ claim: { status: string } }>(`query($id: ID!) { claim(id: $id) { status } }`, {
              id: claimId,
            })
          ).claim.status === 'EXPERT_REVIEW',
        LIVE,
      );
      // the file offers the moves from the new status: "Expertise" no more
      await waitFor(
        'the moves offered from EXPERT_REVIEW',
        async () =>
          !(await select.locator('option').allInnerTexts())
            .map(normalizeSpaces)
            .some((o) => /^expertise$/i.test(o)),
        LIVE,
      );
      await select.scrollIntoViewIfNeeded();
      await shoot(console_(), 'console-status-changed');
      browser!.expectClean({ pages: [consolePage] });
    }),
    60_000,
  );

  it(
    'an error is shown in words with its code: a rejection without a reason is refused',
    inBrowser(async () => {
      needs('reimbursement');
      const row = claimFile()
        .getByTestId('reimbursement')
        .filter({ hasText: /1\s?250,50/ })
        .first();
      await row.getByRole('button', { name: 'Refuser' }).click();
      // in words, with the code, next to the button that failed
      const alert = row.getByRole('alert').filter({ hasText: /\([A-Z_]+(\.[A-Z_]+)*\)/ });
      await alert.first().waitFor({ timeout: LIVE.timeoutMs });
      const words = normalizeSpaces(await alert.first().innerText());
      // words a person reads, then the code
      expect(words).toMatch(/[a-zà-ÿ]{3,}.*\([A-Z_.]+\)/);
      await alert.first().scrollIntoViewIfNeeded();
      await shoot(console_(), 'console-error-in-words');
      // nothing was rejected
      const { reimbursementsByClaim } = await supervisor<{ reimbursementsByClaim: { status: string }[] }>(
        `query($id: ID!) { reimbursementsByClaim(claimId: $id) { status } }`,
        { id: claimId },
      );
      expect(reimbursementsByClaim.map((r) => r.status)).toEqual(['PENDING']);
    }),
    60_000,
  );

  it(
    "a supervisor sees the advisors and the queue, and reassigns Claire's entry to Hugo",
    inBrowser(async () => {
      // Hugo is on a call too: he takes nothing by himself, but may be given the entry
      const { registerAdvisor: hugo } = await supervisor<{ registerAdvisor: { id: string } }>(
        `mutation($input: RegisterAdvisorInput!) { registerAdvisor(input: $input) { id } }`,
        { input: { name: `Hugo Petit ${suffix}`, status: 'BUSY', capacity: 5 } },
      );
      const supervision = await browser!.open(
        'supervisor console',
        `/console#token=${encodeURIComponent(supervisorToken)}`,
      );
      const tab = supervision.page.getByRole('tab', { name: 'Supervision' });
      await tab.click();
      const region = supervision.page.getByRole('region', { name: 'Supervision' });
      const rows = region.getByTestId('advisor-row');
      await rows.filter({ hasText: 'Claire Martin' }).first().waitFor({ timeout: LIVE.timeoutMs });
      // the age of the oldest waiting entry, shown even when nobody waits
      await region.getByTestId('queue-age').waitFor();
      await rows
        .filter({ hasText: `Hugo Petit ${suffix}` })
        .first()
        .waitFor({ timeout: LIVE.timeoutMs });

      // the entry Claire works on is open: the supervisor gives it to Hugo
      const open = region.getByTestId('supervision-entry').filter({ hasText: 'Lefèvre' });
      await open.waitFor({ timeout: LIVE.timeoutMs });
      await shoot(supervision.page, 'console-supervision');
      await open.getByLabel('Réaffecter à').selectOption({ label: `Hugo Petit ${suffix}` });
      await open.getByRole('button', { name: 'Réaffecter' }).click();
      await waitFor(
        "the entry to be Hugo's in the graph",
        async () => {
          const { claim } = await supervisor<{
            claim: { escalation: { advisor: { id: string } | null } | null };
          }>(`query($id: ID!) { claim(id: $id) { escalation { advisor { id } } } }`, { id: claimId });
          return claim.escalation?.advisor?.id === hugo.id;
        },
        LIVE,
      );
      // the page follows: the entry now reads Hugo's name, and his load counts it
      await open.filter({ hasText: `tenu par Hugo Petit ${suffix}` }).waitFor({ timeout: LIVE.timeoutMs });
      await rows
        .filter({ hasText: `Hugo Petit ${suffix}` })
        .filter({ hasText: '1 / 5' })
        .waitFor({ timeout: LIVE.timeoutMs });
      await shoot(supervision.page, 'console-reassigned');
      browser!.expectClean({ pages: [supervision] });
    }),
    60_000,
  );

  it(
    'the chat on a phone (360 and 390 wide): the message box takes the width, no button or label leaves the screen',
    inBrowser(async () => {
      for (const width of [360, 390]) {
        const phone = await browser!.open(`chat-${width}`, '/chat', { viewport: { width, height: 780 } });
        const page = phone.page;
        await waitFor(
          "the bot's greeting",
          async () =>
            /numéro de matricule/.test(
              (await textsOf(page.locator('[data-testid="message"][data-author="bot"]'))).join(' '),
            ),
          LIVE,
        );
        // a draft, not sent: Envoyer is enabled as the client would see it
        await page.getByLabel('Votre message').fill('ab 123');
        const box = (await page.getByLabel('Votre message').boundingBox())!;
        // beside Envoyer and push-to-talk on one row, it was 46 px wide on a 360-wide screen
        expect(box.width).toBeGreaterThan(width * 0.8);
        const buttons = page.locator('.chat-composer button');
        expect(await buttons.count()).toBeGreaterThanOrEqual(1);
        for (const button of await buttons.all()) {
          const b = (await button.boundingBox())!;
          expect(b.x).toBeGreaterThanOrEqual(0);
          expect(b.x + b.width).toBeLessThanOrEqual(width);
          // the label fits its button: nothing cut at its edge
          const fits = await button.evaluate((el) => {
            const box = el as unknown as { scrollWidth: number; clientWidth: number };
            return box.scrollWidth <= box.clientWidth;
          });
          expect(fits).toBe(true);
        }
        // the page itself does not scroll sideways
        expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
          width,
        );
        await shoot(page, `chat-phone-${width}`);
        browser!.expectClean({ pages: [phone] });
        await page.context().close();
      }
    }),
    60_000,
  );
});
