// The bot's voice: each bot sentence becomes an MP3 in the audio store, served by the gateway at
// the message's audio_url. The text never waits for it: a turn commits its messages first, then
// the audio is made within a budget (the caller waits at most `waitMs` for it and gets the URLs
// ready by then); what is late is written to its message when it arrives, what fails is skipped.
// A sentence already in the store is not synthesized again (content key, voice.rules.ts); a
// provider that keeps failing is left alone for a while (circuit breaker), and every outcome is
// counted (crm_voice_audio_total).
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  handleAll,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@crm/logging';
import type { Caller } from '@crm/subgraph';
import { audioKey, audioUrlOf, speakable } from './voice.rules';
import {
  VoiceProviderError,
  type AudioStore,
  type Recording,
  type SpeechRecognizer,
  type SpeechSynthesizer,
  type Transcript,
} from './voice.ports';

export interface VoiceSettings {
  synthesizer: SpeechSynthesizer | null;
  recognizer: SpeechRecognizer | null;
  store: AudioStore;
  /** where the gateway serves the store: `/audio/` (same origin) or an absolute base */
  publicBase: string;
  /** one provider call's deadline */
  timeoutMs: number;
  /** how long a turn waits for its audio before answering without what is not ready */
  waitMs: number;
  /** consecutive failures that open the breaker, and how long it stays open */
  breakerFailures: number;
  breakerOpenMs: number;
}

export type AudioOutcome = 'synthesized' | 'cached' | 'failed' | 'timeout' | 'circuit_open';
export type TranscriptOutcome = 'transcribed' | 'failed' | 'timeout' | 'circuit_open';

/** A bot message to voice: its row and its words. */
export interface SpokenMessage {
  id: string;
  text: string;
}

function outcomeOf(err: unknown): 'failed' | 'timeout' | 'circuit_open' {
  if (err instanceof BrokenCircuitError) return 'circuit_open';
  if (err instanceof TaskCancelledError) return 'timeout';
  if (err instanceof VoiceProviderError && err.failure === 'timeout') return 'timeout';
  return 'failed';
}

export class VoiceService {
  private readonly audio: Counter<'provider' | 'outcome'>;
  private readonly transcripts: Counter<'provider' | 'outcome'>;
  private readonly speaking: IPolicy;
  private readonly listening: IPolicy;
  /** one synthesis per key at a time: a sentence said twice at once is made once */
  private readonly inFlight = new Map<string, Promise<string | null>>();
  /** audio still being made or written after its turn answered (stop waits for it) */
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly settings: VoiceSettings,
    /** records a message's audio (and tells its live subscribers), for whoever asked the turn */
    private readonly onAudio: (messageId: string, url: string, by: Caller | undefined) => Promise<void>,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.audio = new Counter({
      name: 'crm_voice_audio_total',
      help: 'bot sentences voiced, by provider and outcome (synthesized, cached, failed, timeout, circuit_open)',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    });
    this.transcripts = new Counter({
      name: 'crm_voice_transcripts_total',
      help: 'client recordings transcribed, by provider and outcome (transcribed, failed, timeout, circuit_open)',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    });
    const policy = () =>
      wrap(
        circuitBreaker(handleAll, {
          halfOpenAfter: settings.breakerOpenMs,
          breaker: new ConsecutiveBreaker(settings.breakerFailures),
        }),
        timeout(settings.timeoutMs, TimeoutStrategy.Aggressive),
      );
    this.speaking = policy();
    this.listening = policy();
  }

  /**
   * Readies the synthesizer in the background (the service takes traffic meanwhile: a sentence
   * said before it is ready waits in the same queue). A failure is only logged: the first
   * sentences then meet the deadline and the breaker like any other.
   */
  warmUp(): void {
    const warm = this.settings.synthesizer?.warmUp?.();
    if (!warm) return;
    const started = Date.now();
    // not waited for at stop: it writes nothing (closing the synthesizer ends it)
    void warm.then(
      () => this.logger.info({ ms: Date.now() - started }, "the bot's voice is ready"),
      (err: unknown) => this.logger.warn({ err }, "the bot's voice could not be readied"),
    );
  }

  /** Whether bot sentences get audio at all (TTS_PROVIDER=none: never). */
  get speaks(): boolean {
    return this.settings.synthesizer !== null;
  }

  get listens(): boolean {
    return this.settings.recognizer !== null;
  }

  /** The URL of one sentence's audio, made if the store does not hold it; null when it failed. */
  audioFor(text: string): Promise<string | null> {
    const synthesizer = this.settings.synthesizer;
    if (!synthesizer) return Promise.resolve(null);
    const words = speakable(text);
    if (!words) return Promise.resolve(null);
    const key = audioKey(synthesizer.voiceKey, words);
    const running = this.inFlight.get(key);
    if (running) return running;
    const made = this.make(synthesizer, key, words).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, made);
    return made;
  }

  private async make(synthesizer: SpeechSynthesizer, key: string, words: string): Promise<string | null> {
    const url = audioUrlOf(this.settings.publicBase, key);
    const count = (outcome: AudioOutcome) => this.audio.inc({ provider: synthesizer.provider, outcome });
    try {
      if (await this.settings.store.has(key)) {
        count('cached');
        return url;
      }
    } catch (err) {
      this.logger.warn({ err }, 'audio store unreadable');
    }
    try {
      const mp3 = await this.speaking.execute(({ signal }) => synthesizer.synthesize(words, signal));
      await this.settings.store.put(key, mp3);
      count('synthesized');
      return url;
    } catch (err) {
      const outcome = outcomeOf(err);
      count(outcome);
      // the sentence is the bot's, but may hold a name: never logged
      this.logger.warn(
        {
          provider: synthesizer.provider,
          outcome,
          failure: err instanceof VoiceProviderError ? err.failure : undefined,
        },
        'a bot sentence has no audio',
      );
      return null;
    }
  }

  /**
   * Voices a turn's bot messages (already committed): each URL is written to its message as it
   * arrives; answers with those ready within the wait budget (message id -> URL).
   */
  async voice(messages: readonly SpokenMessage[], by?: Caller): Promise<Map<string, string>> {
    const ready = new Map<string, string>();
    if (!this.speaks || messages.length === 0) return ready;
    const all = Promise.all(
      messages.map(async (m) => {
        const url = await this.audioFor(m.text);
        if (!url) return;
        try {
          await this.onAudio(m.id, url, by);
          ready.set(m.id, url);
        } catch (err) {
          this.logger.warn({ err, messageId: m.id }, 'audio made but not recorded on its message');
        }
      }),
    );
    this.track(all);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.settings.waitMs);
    });
    await Promise.race([all, budget]);
    clearTimeout(timer);
    return new Map(ready);
  }

  /** What the client said, through the breaker and the deadline (throws VoiceProviderError or the policy's). */
  async transcribe(recording: Recording): Promise<Transcript> {
    const recognizer = this.settings.recognizer;
    if (!recognizer)
      throw new VoiceProviderError('none', 'unavailable', 'no speech-to-text provider configured');
    try {
      const transcript = await this.listening.execute(({ signal }) =>
        recognizer.transcribe(recording, signal),
      );
      this.transcripts.inc({ provider: recognizer.provider, outcome: 'transcribed' });
      return transcript;
    } catch (err) {
      const outcome = outcomeOf(err);
      this.transcripts.inc({ provider: recognizer.provider, outcome });
      this.logger.warn(
        {
          provider: recognizer.provider,
          outcome,
          failure: err instanceof VoiceProviderError ? err.failure : undefined,
        },
        'a recording was not transcribed',
      );
      throw err;
    }
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** Waits for the audio still being made (each call is bounded by its deadline). */
  async drain(): Promise<void> {
    while (this.background.size) await Promise.all([...this.background]);
  }
}
