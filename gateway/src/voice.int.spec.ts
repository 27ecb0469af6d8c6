// Issue 22: the bot speaks. A VOICE conversation through the gateway (in-process) with the
// conversation service as its own process on the real PostgreSQL and Kafka, voiced by the
// offline French voice (eSpeak NG): every bot reply carries an audio_url the gateway serves,
// and what it serves is decoded and measured (real audio, not silence, as long as the words).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@crm/logging';
import { type LoneService, measureAudio, type RunningProcess, startLoneService } from '@crm/testing';
import { envSchema } from './env';
import { startGateway, type GatewayServer } from './server';

interface TurnMessage {
  id: string;
  role: string;
  text: string | null;
  audioUrl: string | null;
}

const logger = createLogger({ service: 'gateway-voice-test', level: 'silent' });

describe('the bot speaks (offline voice, through the gateway)', () => {
  let lone: LoneService | undefined;
  let keys: LoneService['internalKeys'];
  const audioDir = mkdtempSync(join(tmpdir(), 'crm-voice-'));
  let conversation: RunningProcess;
  let gateway: GatewayServer;
  let base: string;

  beforeAll(async () => {
    // a slow, shared machine: the turn waits long enough for its audio to be there
    lone = await startLoneService('conversation', 'voice', {
      AUDIO_DIR: audioDir,
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
    rmSync(audioDir, { recursive: true, force: true });
  });

  async function openVoiceSession(): Promise<{
    conversationId: string;
    token: string;
    messages: TurnMessage[];
  }> {
    const res = await fetch(`${base}/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'VOICE' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      conversationId: string;
      token: string;
      turn: { channel: string; messages: TurnMessage[] };
    };
    expect(body.turn.channel).toBe('VOICE');
    return { conversationId: body.conversationId, token: body.token, messages: body.turn.messages };
  }

  /** The audio at `url`, served by the gateway, decoded and measured against its words. */
  async function expectSpoken(url: string, text: string) {
    expect(url).toMatch(/^\/audio\/[a-f0-9]{64}\.mp3$/);
    const res = await fetch(`${base}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const audio = await measureAudio(new Uint8Array(await res.arrayBuffer()));
    // French read aloud: about 10 to 20 characters a second; eSpeak is on the quick side
    expect(audio.durationSeconds).toBeGreaterThan(text.length / 30);
    expect(audio.durationSeconds).toBeLessThan(text.length / 5 + 1);
    // speech, not silence: loud enough, and most of it above -40 dBFS
    expect(audio.peak).toBeGreaterThan(0.1);
    expect(audio.voicedSeconds).toBeGreaterThan(audio.durationSeconds * 0.4);
    process.stdout.write(
      `voice: ${text.length} characters -> ${audio.durationSeconds.toFixed(2)} s of MP3, ` +
        `${audio.voicedSeconds.toFixed(2)} s above -40 dBFS, peak ${audio.peak.toFixed(2)}\n`,
    );
    return audio;
  }

  it('voices the greeting and each reply; the gateway serves real French speech at audio_url', async () => {
    const session = await openVoiceSession();
    const greeting = session.messages.filter((m) => m.role === 'BOT');
    expect(greeting.length).toBeGreaterThan(0);
    for (const m of greeting) await expectSpoken(m.audioUrl!, m.text!);

    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({
        query: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { replies messages { id role text sttConfidence audioUrl } } }`,
        variables: {
          input: { conversationId: session.conversationId, text: 'je ne connais pas mon matricule' },
        },
      }),
    });
    const body = (await res.json()) as {
      data?: { sendMessage: { replies: string[]; messages: TurnMessage[] } };
    };
    const turn = body.data!.sendMessage;
    const [client, ...bot] = turn.messages;
    expect(client).toMatchObject({ role: 'USER', audioUrl: null });
    expect(bot.map((m) => m.text)).toEqual(turn.replies);
    for (const m of bot) await expectSpoken(m.audioUrl!, m.text!);

    // the URL is on the stored message too (historique_conversation.audio_url)
    const read = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({
        query: `query($id: ID!) { conversation(id: $id) { messages { id audioUrl } } }`,
        variables: { id: session.conversationId },
      }),
    });
    const stored = (
      (await read.json()) as {
        data: { conversation: { messages: { id: string; audioUrl: string | null }[] } };
      }
    ).data.conversation.messages;
    for (const m of [...greeting, ...bot])
      expect(stored.find((s) => s.id === m.id)?.audioUrl).toBe(m.audioUrl);
  }, 120_000);

  it('says a repeated sentence from the store: the same URL, the file not written again', async () => {
    const first = await openVoiceSession();
    const url = first.messages.find((m) => m.role === 'BOT')!.audioUrl!;
    const file = join(audioDir, url.slice('/audio/'.length));
    const written = statSync(file).mtimeMs;
    const second = await openVoiceSession();
    expect(second.messages.find((m) => m.role === 'BOT')!.audioUrl).toBe(url);
    expect(statSync(file).mtimeMs).toBe(written);
  }, 120_000);

  it('serves nothing but stored audio keys', async () => {
    expect((await fetch(`${base}/audio/${'0'.repeat(64)}.mp3`)).status).toBe(404);
    expect((await fetch(`${base}/audio/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect((await fetch(`${base}/audio/${'a'.repeat(63)}.mp3`)).status).toBe(404);
    expect((await fetch(`${base}/audio/${'0'.repeat(64)}.mp3`, { method: 'DELETE' })).status).toBe(405);
  });
});
