// Issue 22, "Done when": push-to-talk in the client chat, in a real Chromium whose microphone is
// a recorded French sentence (web/test/fixtures/declaration-fr.wav, made with eSpeak NG, fed by
// Chromium's fake audio capture). The person holds the button, speaks, releases: the page
// records, the conversation service sends the recording to speech-to-text (a local server of
// ElevenLabs' API, which refuses anything but a decodable, non-silent audio file, so what it
// accepted proves the browser really recorded and sent sound), the transcript shows as the
// client's message, the bot answers in text and aloud: its audio, made after the answer (the turn
// does not wait for it), reaches the page on the live feed and is played.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ElevenLabsStub,
  type LoneService,
  randomSuffix,
  type RunningProcess,
  startElevenLabsStub,
  startGatewayProcess,
  startLoneService,
  waitFor,
} from '@crm/testing';
import { type BrowserSession, normalizeSpaces, startBrowser, type WatchedPage } from './browser';

const KEY = 'browser-stt-key-0123456789';
const SAMPLE = join(__dirname, 'fixtures', 'declaration-fr.wav');
const TRANSCRIPT = 'Je voudrais déclarer un accident de voiture.';
const LIVE = { timeoutMs: 45_000, intervalMs: 200 };

describe('push-to-talk in the chat (Chromium, recorded French microphone)', () => {
  const audioDir = mkdtempSync(join(tmpdir(), 'crm-ptt-'));
  let stub: ElevenLabsStub;
  let conversation: LoneService | undefined;
  let gateway: RunningProcess | undefined;
  let browser: BrowserSession | undefined;
  let chat: WatchedPage;

  beforeAll(async () => {
    stub = await startElevenLabsStub({ apiKey: KEY, transcript: TRANSCRIPT, logprob: -0.02 });
    conversation = await startLoneService('conversation', 'ptt', {
      STT_PROVIDER: 'elevenlabs',
      TTS_PROVIDER: 'offline',
      ELEVENLABS_API_KEY: KEY,
      ELEVENLABS_BASE_URL: stub.baseUrl,
      AUDIO_DIR: audioDir,
      // the turn answers before its audio exists: the page plays it when the live feed says
      // it is ready (AUDIO), the path a slow voice provider takes
      VOICE_WAIT_MS: '0',
      VOICE_TIMEOUT_MS: '30000',
    });
    // the chat speaks to the conversation subgraph only
    gateway = await startGatewayProcess({
      subgraphs: { conversation: conversation.process },
      internalPrivateKey: conversation.internalKeys.privateKey,
      jwtSecret: `jwt-${randomSuffix(24)}`,
    });
    browser = await startBrowser({
      origin: gateway.baseUrl,
      args: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${SAMPLE}`,
        '--autoplay-policy=no-user-gesture-required',
      ],
      permissions: ['microphone'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await conversation?.stop();
    await stub?.close();
    rmSync(audioDir, { recursive: true, force: true });
  });

  const messages = (author: string) => chat.page.locator(`[data-testid="message"][data-author="${author}"]`);
  const texts = async (author: string) => (await messages(author).allInnerTexts()).map(normalizeSpaces);

  it('records while the button is held, shows the transcript, and the bot answers aloud once its audio is made', async () => {
    try {
      chat = await browser!.open('chat', '/chat');
      await waitFor('the bot greeting in the chat', async () => (await messages('bot').count()) > 0, LIVE);
      const botBefore = await messages('bot').count();
      const button = chat.page.getByTestId('push-to-talk');
      await button.hover();
      await chat.page.mouse.down();
      await waitFor(
        'the button to say it listens',
        async () => (await button.getAttribute('aria-pressed')) === 'true',
        LIVE,
      );
      await browser!.screenshot(chat.page, 'push-to-talk held');
      // the sample lasts 2.8 s; Chromium plays it in a loop
      await chat.page.waitForTimeout(3500);
      const answered = chat.page.waitForResponse(
        (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('ChatSendVoice'),
      );
      await chat.page.mouse.up();
      // the turn's answer came without the bot's audio (made after it, VOICE_WAIT_MS 0)
      const turn = (await (await answered).json()) as {
        data: { sendVoiceMessage: { messages: { role: string; audioUrl: string | null }[] } };
      };
      const botMessages = turn.data.sendVoiceMessage.messages.filter((m) => m.role === 'BOT');
      expect(botMessages.length).toBeGreaterThan(0);
      expect(botMessages.map((m) => m.audioUrl)).toEqual(botMessages.map(() => null));

      await waitFor(
        'the transcript as the client message',
        async () => (await texts('client')).some((t) => t.includes(TRANSCRIPT)),
        LIVE,
      );
      await waitFor('the bot answer', async () => (await messages('bot').count()) > botBefore, LIVE);
      const voice = chat.page.getByTestId('bot-voice');
      await waitFor(
        'the bot answer played aloud',
        async () => Number(await voice.getAttribute('data-started')) > 0,
        LIVE,
      );
      expect(await voice.getAttribute('src')).toMatch(/\/audio\/[a-f0-9]{64}\.mp3$/);
      await browser!.screenshot(chat.page, 'push-to-talk answered');

      // what reached speech-to-text: the browser's WAV of the fake microphone, real sound
      const heard = stub.requests.filter((r) => r.path === '/v1/speech-to-text');
      expect(heard).toHaveLength(1);
      expect(heard[0]).toMatchObject({ apiKey: KEY, problems: [], status: 200 });
      expect(heard[0]!.fields).toMatchObject({ model_id: 'scribe_v1', language_code: 'fr' });
      expect(heard[0]!.file).toMatchObject({ type: 'audio/wav' });
      const audio = heard[0]!.file!.audio!;
      expect(audio.sampleRate).toBe(16000);
      expect(audio.durationSeconds).toBeGreaterThan(2.5);
      expect(audio.durationSeconds).toBeLessThan(15);
      expect(audio.voicedSeconds).toBeGreaterThan(1);
      process.stdout.write(
        `push-to-talk: the page sent ${heard[0]!.file!.size} bytes of WAV, ${audio.durationSeconds.toFixed(2)} s, ` +
          `${audio.voicedSeconds.toFixed(2)} s above -40 dBFS, peak ${audio.peak.toFixed(2)}\n`,
      );
      browser!.expectClean();
    } catch (err) {
      if (chat && !chat.page.isClosed())
        await browser!.screenshot(chat.page, 'failed-push-to-talk').catch(() => '');
      throw err;
    }
  }, 180_000);
});
