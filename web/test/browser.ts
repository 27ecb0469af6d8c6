// The browser tests' harness: Debian's chromium driven by playwright-core (no browser download:
// `npx playwright install` cannot run on the CI machine), isolated contexts that read French
// in Paris, and a watch on every page for what must never happen: a request that leaves the
// system's origin (a font, an analytics script, a CDN), an error in the console or an uncaught
// exception. Screenshots of each step land in web/test/artifacts/ (git-ignored).
//
//   const browser = await startBrowser({ origin: gateway.baseUrl });
//   const chat = await browser.open('chat', '/chat');
//   await browser.screenshot(chat.page, 'chat-opened');
//   browser.expectClean();          // no foreign request, no console error, on every page
//   await browser.close();
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
  type Request,
  type Response,
} from 'playwright-core';

/** web/test/artifacts: the screenshots of the last run (git-ignored) */
export const ARTIFACTS_DIR = join(__dirname, 'artifacts');

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** No background traffic of the browser itself (updates, sync, safe browsing): only the pages'. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The executable: $CHROMIUM_PATH, else Debian's /usr/bin/chromium; a clear error when absent. */
export function chromiumPath(): string {
  const path = process.env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM;
  if (!existsSync(path)) {
    throw new Error(
      `no Chromium at ${path}: the browser tests drive Debian's chromium ` +
        '(`sudo apt-get install -y --no-install-recommends chromium`, as .ci/run does), ' +
        'or set CHROMIUM_PATH to another Chromium executable',
    );
  }
  return path;
}

/** One document the page loaded (a navigation or a reload), with all its response headers. */
export interface DocumentResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
}

/** A page under watch: what it asked of other origins, what it logged as errors, what failed. */
export interface WatchedPage {
  name: string;
  page: Page;
  context: BrowserContext;
  /** requests (and WebSockets) to any origin other than the system's: `GET https://fonts...` */
  foreignRequests: string[];
  /** console messages of type error and uncaught page errors */
  consoleErrors: string[];
  /** requests that got no response (a refused connection, an abort on reload...) */
  failedRequests: string[];
  /** the documents loaded in the page (its navigations), in order, with all their headers */
  documents(): Promise<DocumentResponse[]>;
}

export interface BrowserSession {
  browser: Browser;
  /** http://127.0.0.1:<gateway port> */
  origin: string;
  /** every page opened so far */
  pages: WatchedPage[];
  /**
   * A page in a new isolated context (its own storage: another person at another computer),
   * navigated to `path` on the system's origin; `name` labels it in failure messages.
   */
  open(
    name: string,
    path: string,
    options?: { viewport?: { width: number; height: number } },
  ): Promise<WatchedPage>;
  /** web/test/artifacts/<NN>-<step>.png (the viewport), NN counting the run's screenshots; returns the path */
  screenshot(page: Page, step: string): Promise<string>;
  /**
   * Throws, listing them, when a page (every page unless named) made a request to another
   * origin or logged an error; `allowConsoleErrors` names the errors a step provoked on purpose.
   */
  expectClean(options?: { pages?: WatchedPage[]; allowConsoleErrors?: RegExp[] }): void;
  /** closes every context and the browser */
  close(): Promise<void>;
}

/** Launches chromium and returns a session that opens watched pages on `origin`. */
export async function startBrowser({
  origin,
  args = [],
  permissions = [],
}: {
  origin: string;
  /** more Chromium switches: a recorded microphone (`--use-file-for-fake-audio-capture=...`) */
  args?: string[];
  /** granted to the system's origin in every context: `microphone` for push-to-talk */
  permissions?: string[];
}): Promise<BrowserSession> {
  const system = new URL(origin);
  const executablePath = chromiumPath();
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS, ...args],
    timeout: 60_000,
  });
  const pages: WatchedPage[] = [];
  let shots = 0;

  // a fresh folder of screenshots per run: numbers of an earlier run would mislead
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (const file of readdirSync(ARTIFACTS_DIR)) {
    if (/^\d{2,}-.*\.png$/.test(file)) rmSync(join(ARTIFACTS_DIR, file), { force: true });
  }

  /** same scheme family (http/ws, https/wss), host and port as the system */
  const isSystemOrigin = (raw: string): boolean => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    // never on the network: inline images, object URLs, the blank page
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.href === 'about:blank') return true;
    const secure = url.protocol === 'https:' || url.protocol === 'wss:';
    const systemSecure = system.protocol === 'https:';
    const known = ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol);
    return known && secure === systemSecure && url.host === system.host;
  };

  const watch = (name: string, page: Page, context: BrowserContext): WatchedPage => {
    const navigations: Response[] = [];
    const watched: WatchedPage = {
      name,
      page,
      context,
      foreignRequests: [],
      consoleErrors: [],
      failedRequests: [],
      // allHeaders(), not headers(): the security headers are among those headers() may omit
      documents: () =>
        Promise.all(
          navigations.map(async (response) => ({
            url: response.url(),
            status: response.status(),
            headers: await response.allHeaders(),
          })),
        ),
    };
    page.on('request', (request: Request) => {
      if (!isSystemOrigin(request.url()))
        watched.foreignRequests.push(`${request.method()} ${request.url()} (${request.resourceType()})`);
    });
    page.on('websocket', (socket) => {
      if (!isSystemOrigin(socket.url())) watched.foreignRequests.push(`WebSocket ${socket.url()}`);
    });
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const where = message.location();
      const at = where.url ? ` (${where.url}:${where.lineNumber})` : '';
      watched.consoleErrors.push(`console.error: ${message.text()}${at}`);
    });
    page.on('pageerror', (error: Error) => {
      watched.consoleErrors.push(`uncaught: ${error.name}: ${error.message}`);
    });
    page.on('requestfailed', (request: Request) => {
      watched.failedRequests.push(
        `${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`,
      );
    });
    page.on('response', (response: Response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations.push(response);
    });
    return watched;
  };

  const session: BrowserSession = {
    browser,
    origin: system.origin,
    pages,
    async open(name, path, options) {
      const context = await browser.newContext({
        // a laptop's, unless the test holds the page on a phone
        viewport: options?.viewport ?? { width: 1280, height: 800 },
        locale: 'fr-FR',
        timezoneId: 'Europe/Paris',
        baseURL: system.origin,
      });
      if (permissions.length) await context.grantPermissions(permissions, { origin: system.origin });
      // a page waits for live updates up to 30 s (waitFor in the tests); actions fail sooner
      context.setDefaultTimeout(30_000);
      context.setDefaultNavigationTimeout(30_000);
      const page = await context.newPage();
      const watched = watch(name, page, context);
      pages.push(watched);
      await page.goto(new URL(path, system.origin).href, { waitUntil: 'load' });
      return watched;
    },
    async screenshot(page, step) {
      shots += 1;
      const slug = step
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      const path = join(ARTIFACTS_DIR, `${String(shots).padStart(2, '0')}-${slug || 'step'}.png`);
      // the viewport: the pages scroll inside their panes, a full-page shot adds only blank space
      await page.screenshot({ path });
      return path;
    },
    expectClean(options = {}) {
      const allow = options.allowConsoleErrors ?? [];
      const problems: string[] = [];
      for (const watched of options.pages ?? pages) {
        const errors = watched.consoleErrors.filter((e) => !allow.some((pattern) => pattern.test(e)));
        if (watched.foreignRequests.length === 0 && errors.length === 0) continue;
        problems.push(`page "${watched.name}" (${watched.page.url() || 'closed'}):`);
        for (const request of watched.foreignRequests)
          problems.push(`  request to another origin: ${request}`);
        for (const error of errors) problems.push(`  ${error}`);
        // failed requests are no fault by themselves (a reload aborts what was in flight), but
        // they often explain an error: shown alongside
        for (const failed of watched.failedRequests) problems.push(`  (failed request: ${failed})`);
      }
      if (problems.length > 0) {
        throw new Error(
          `the pages must speak only to ${system.origin} and log no error:\n${problems.join('\n')}`,
        );
      }
    },
    async close() {
      await Promise.all(pages.map((p) => p.context.close().catch(() => undefined)));
      await browser.close().catch(() => undefined);
    },
  };
  return session;
}

/** Text with every kind of space (U+00A0, U+202F from Intl, runs of them) as one plain space. */
export const normalizeSpaces = (text: string): string => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
