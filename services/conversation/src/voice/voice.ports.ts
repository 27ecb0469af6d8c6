// The voice's ports: what the bot needs from a speech provider and from where audio is kept.
// Adapters: offline-synthesizer.ts (eSpeak NG, no network), elevenlabs.ts (ElevenLabs' HTTP API),
// audio-store.ts (the file system). voice.service.ts composes them (cache, breaker, metric).

/** Text to speech: French words in, MP3 bytes out. */
export interface SpeechSynthesizer {
  /** the provider, for the metric and the logs: offline, elevenlabs */
  readonly provider: string;
  /** what makes two renderings of one sentence differ (voice, model, format): part of the cache key */
  readonly voiceKey: string;
  synthesize(text: string, signal: AbortSignal): Promise<Buffer>;
  /** readies the provider before the first sentence (the offline voice loads its data: seconds) */
  warmUp?(): Promise<void>;
}

/** A recording the client made: its bytes and their media type (audio/wav, audio/webm...). */
export interface Recording {
  data: Buffer;
  mimeType: string;
}

/** Speech to text: what the client said and how sure the provider is (0 to 1). */
export interface Transcript {
  text: string;
  confidence: number;
  /** the language the provider heard (ISO 639), when it says */
  languageCode: string | null;
}

export interface SpeechRecognizer {
  readonly provider: string;
  transcribe(recording: Recording, signal: AbortSignal): Promise<Transcript>;
}

/** Where the audio is kept, by content key (voice.rules.ts audioKey). */
export interface AudioStore {
  has(key: string): Promise<boolean>;
  put(key: string, mp3: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /** deletes these clips (an erased client's: his name may be spoken in them); how many went */
  delete(keys: readonly string[]): Promise<number>;
}

/** A store whose old clips can be purged, naming what it purged (the postgres store). */
export interface PurgeableAudioStore extends AudioStore {
  /** deletes the clips written before `before`; returns each one's first `headBytes` bytes */
  purgeReturningHeads(before: Date, headBytes: number): Promise<Buffer[]>;
}

/** Why a provider call failed: the breaker and the metric count them, the logs name them. */
export type ProviderFailure = 'unauthorized' | 'rate_limited' | 'unavailable' | 'timeout' | 'bad_response';

export class VoiceProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly failure: ProviderFailure,
    message: string,
    /** 429: seconds the provider asks to wait (Retry-After) */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'VoiceProviderError';
  }
}
