// Issue 22 in deployments: the conversation service (its own process) keeps the bot's audio in
// its PostgreSQL (AUDIO_STORE=postgres) and shares no folder with the gateway, which proxies
// /audio/ to it, as it always does. What the gateway serves is decoded and measured;
// the conversation service's /audio/ refuses whoever is not the gateway.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTERNAL_TOKEN_HEADER, InternalTokenSigner, routeDigest } from '@crm/auth';
import { createLogger } from '@crm/logging';
import { type LoneService, measureAudio, type RunningProcess, startLoneService } from '@crm/testing';
import { envSchema } from './env';
import { startGateway, type GatewayServer } from './server';
import { SYSTEM_PRINCIPAL } from './subgraph-calls';

const logger = createLogger({ service: 'gateway-voice-store-test', level: 'silent' });

describe('the bot speaks from the conversation service store (no shared folder)', () => {
  let lone: LoneService | undefined;
  let keys: LoneService['internalKeys'];
  // the conversation service's AUDIO_DIR: must stay empty (nothing written to a folder)
  const unusedDir = mkdtempSync(join(tmpdir(), 'crm-voice-unused-'));
  let conversation: RunningProcess;
  let gateway: GatewayServer;
  let base: string;

  beforeAll(async () => {
    lone = await startLoneService('conversation', 'vstore', {
      AUDIO_STORE: 'postgres',
      AUDIO_DIR: unusedDir,
      TTS_PROVIDER: 'offline',
      VOICE_WAIT_MS: '30000',
      VOICE_TIMEOUT_MS: '30000',
    });
    conversation = lone.process;
    keys = lone.internalKeys;
    gateway = await startGateway(
      envSchema.parse({
        PORT: '0',
        CONVERSATION_URL: `${conversation.baseUrl}/graphql`,
        INTERNAL_TOKEN_PRIVATE_KEY: keys.privateKey,
        JWT_SECRET: 'v'.repeat(40),
      }),
      logger,
    );
    base = gateway.url.replace(/\/graphql$/, '');
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await lone?.stop();
    rmSync(unusedDir, { recursive: true, force: true });
  });

  async function greetingAudio(): Promise<{ url: string; text: string }> {
    const res = await fetch(`${base}/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'VOICE' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      turn: { messages: { role: string; text: string; audioUrl: string | null }[] };
    };
    const bot = body.turn.messages.find((m) => m.role === 'BOT')!;
    expect(bot.audioUrl).toMatch(/^\/audio\/[a-f0-9]{64}\.mp3$/);
    return { url: bot.audioUrl!, text: bot.text };
  }

  it('serves real French speech through the gateway from the PostgreSQL store', async () => {
    const { url, text } = await greetingAudio();
    const res = await fetch(`${base}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toBe(`"${url.slice(7, 71)}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const audio = await measureAudio(new Uint8Array(await res.arrayBuffer()));
    expect(audio.durationSeconds).toBeGreaterThan(text.length / 30);
    expect(audio.durationSeconds).toBeLessThan(text.length / 5 + 1);
    expect(audio.peak).toBeGreaterThan(0.1);
    expect(audio.voicedSeconds).toBeGreaterThan(audio.durationSeconds * 0.4);
    process.stdout.write(
      `voice (postgres store, proxied): ${text.length} characters -> ${audio.durationSeconds.toFixed(2)} s, ` +
        `${audio.voicedSeconds.toFixed(2)} s above -40 dBFS, peak ${audio.peak.toFixed(2)}\n`,
    );
    const head = await fetch(`${base}${url}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(res.headers.get('content-length'));
    // nothing went through a folder
    expect(readdirSync(unusedDir)).toEqual([]);
  }, 120_000);

  it('404 and 405 for anything but a stored clip', async () => {
    expect((await fetch(`${base}/audio/${'0'.repeat(64)}.mp3`)).status).toBe(404);
    expect((await fetch(`${base}/audio/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect((await fetch(`${base}/audio/${'0'.repeat(64)}.mp3`, { method: 'DELETE' })).status).toBe(405);
  });

  it("the conversation service's /audio/ answers the gateway only, for the path its token names", async () => {
    const { url } = await greetingAudio();
    expect((await fetch(`${conversation.baseUrl}${url}`)).status).toBe(401);
    const signer = new InternalTokenSigner(keys.privateKey);
    const other = await signer.mint(SYSTEM_PRINCIPAL, 'conversation', {
      request: routeDigest(`/audio/${'1'.repeat(64)}.mp3`),
    });
    const misbound = await fetch(`${conversation.baseUrl}${url}`, {
      headers: { [INTERNAL_TOKEN_HEADER]: other },
    });
    expect(misbound.status).toBe(401);
    const good = await signer.mint(SYSTEM_PRINCIPAL, 'conversation', { request: routeDigest(url) });
    const ok = await fetch(`${conversation.baseUrl}${url}`, { headers: { [INTERNAL_TOKEN_HEADER]: good } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('audio/mpeg');
  }, 120_000);
});
