// The voice a service instance gets from its configuration: the providers, the store, the
// budgets. Built in setup (one per instance: the offline voice's worker is the instance's own).
import type { PersonalDataVault } from '@crm/privacy';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemCaller, type ServiceRuntime } from '@crm/subgraph';
import { messageAudioReady } from '../conversation/conversation.events';
import { ConversationRepository } from '../conversation/conversation.repository';
import type { Env } from '../env';
import { FileAudioStore, PostgresAudioStore } from './audio-store';
import { ElevenLabsRecognizer, ElevenLabsSynthesizer, type ElevenLabsSettings } from './elevenlabs';
import { OfflineSynthesizer } from './offline-synthesizer';
import { SealedAudioStore } from './sealed-audio-store';
import type { AudioStore, SpeechRecognizer, SpeechSynthesizer } from './voice.ports';
import { VoiceService } from './voice.service';

export type VoiceConfig = Pick<
  Env,
  | 'TTS_PROVIDER'
  | 'STT_PROVIDER'
  | 'AUDIO_STORE'
  | 'AUDIO_RETENTION_DAYS'
  | 'AUDIO_DIR'
  | 'AUDIO_PUBLIC_BASE'
  | 'VOICE_TIMEOUT_MS'
  | 'VOICE_WAIT_MS'
  | 'VOICE_WARM_UP'
  | 'VOICE_BREAKER_FAILURES'
  | 'VOICE_BREAKER_OPEN_SECONDS'
  | 'ELEVENLABS_API_KEY'
  | 'ELEVENLABS_BASE_URL'
  | 'ELEVENLABS_VOICE_ID'
  | 'ELEVENLABS_TTS_MODEL'
  | 'ELEVENLABS_OUTPUT_FORMAT'
  | 'ELEVENLABS_STT_MODEL'
>;

/** The defaults of the environment (env.ts): the offline voice, no speech-to-text. */
export const DEFAULT_VOICE: VoiceConfig = {
  TTS_PROVIDER: 'offline',
  STT_PROVIDER: 'none',
  AUDIO_STORE: 'file',
  AUDIO_RETENTION_DAYS: 30,
  AUDIO_DIR: join(tmpdir(), 'crm-audio'),
  AUDIO_PUBLIC_BASE: '/audio/',
  VOICE_TIMEOUT_MS: 8000,
  VOICE_WAIT_MS: 4000,
  // the service definition without an environment (the tests' harnesses): loaded on first use
  VOICE_WARM_UP: false,
  VOICE_BREAKER_FAILURES: 5,
  VOICE_BREAKER_OPEN_SECONDS: 30,
  ELEVENLABS_API_KEY: undefined,
  ELEVENLABS_BASE_URL: 'https://api.elevenlabs.io',
  ELEVENLABS_VOICE_ID: '21m00Tcm4TlvDq8ikWAM',
  ELEVENLABS_TTS_MODEL: 'eleven_multilingual_v2',
  ELEVENLABS_OUTPUT_FORMAT: 'mp3_44100_128',
  ELEVENLABS_STT_MODEL: 'scribe_v1',
};

export interface Voice {
  service: VoiceService;
  /** the store the service writes to and /audio/ on this service reads from */
  store: AudioStore;
  /** deletes audio past AUDIO_RETENTION_DAYS (postgres store; the file store keeps its files) */
  purge(now: Date): Promise<number>;
  /** readies the providers in the background when the configuration says so (VOICE_WARM_UP) */
  warmUp(): void;
  close(): Promise<void>;
}

export function createVoice(config: VoiceConfig, runtime: ServiceRuntime, vault: PersonalDataVault): Voice {
  const closers: (() => Promise<void>)[] = [];
  let synthesizer: SpeechSynthesizer | null = null;
  if (config.TTS_PROVIDER === 'offline') {
    const offline = new OfflineSynthesizer();
    closers.push(() => offline.close());
    synthesizer = offline;
  }
  const elevenLabs = (): ElevenLabsSettings => ({
    // env.ts refuses an elevenlabs provider without the key
    apiKey: config.ELEVENLABS_API_KEY ?? '',
    baseUrl: config.ELEVENLABS_BASE_URL,
    voiceId: config.ELEVENLABS_VOICE_ID,
    ttsModel: config.ELEVENLABS_TTS_MODEL,
    outputFormat: config.ELEVENLABS_OUTPUT_FORMAT,
    sttModel: config.ELEVENLABS_STT_MODEL,
    languageCode: 'fr',
  });
  if (config.TTS_PROVIDER === 'elevenlabs') synthesizer = new ElevenLabsSynthesizer(elevenLabs());
  const recognizer: SpeechRecognizer | null =
    config.STT_PROVIDER === 'elevenlabs' ? new ElevenLabsRecognizer(elevenLabs()) : null;
  const repo = new ConversationRepository(runtime.dataSource.manager, vault);
  const postgres =
    config.AUDIO_STORE === 'postgres'
      ? new PostgresAudioStore(runtime.dataSource.manager, runtime.clock)
      : null;
  // sealed at rest under a key per clip, shredded with the clip (sealed-audio-store.ts)
  const store = new SealedAudioStore(postgres ?? new FileAudioStore(config.AUDIO_DIR), vault);
  const service = new VoiceService(
    {
      synthesizer,
      recognizer,
      store,
      publicBase: config.AUDIO_PUBLIC_BASE,
      timeoutMs: config.VOICE_TIMEOUT_MS,
      waitMs: config.VOICE_WAIT_MS,
      breakerFailures: config.VOICE_BREAKER_FAILURES,
      breakerOpenMs: config.VOICE_BREAKER_OPEN_SECONDS * 1000,
    },
    // the URL on its message and, for a conversation's message, MessageAudioReady for the live
    // subscribers (who got the text before the audio existed), in one transaction
    (messageId, url, by) =>
      runtime.dataSource.transaction(async (tx) => {
        const written = await repo.setAudioUrl(tx, messageId, url);
        if (!written?.conversationId) return;
        await runtime.events.outbox.publish(
          tx,
          messageAudioReady(
            {
              messageId,
              conversationId: written.conversationId,
              sequence: written.sequence,
              audioUrl: url,
              readyAt: runtime.clock(),
            },
            by ?? systemCaller('conversation.voice'),
          ),
        );
      }),
    runtime.logger,
    runtime.events.metrics.registry,
  );
  return {
    service,
    store,
    purge: (now) => store.purge(new Date(now.getTime() - config.AUDIO_RETENTION_DAYS * 86_400_000)),
    warmUp() {
      if (config.VOICE_WARM_UP) service.warmUp();
    },
    async close() {
      await service.drain();
      for (const close of closers) await close();
    },
  };
}
