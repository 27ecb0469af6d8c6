// The voice's resilience without any provider: a store in memory, synthesizers that answer,
// fail, or take their time. The text never waits longer than the budget, a repeated sentence is
// not made twice, a failing provider is left alone once the breaker opens, and every outcome is
// counted.
import { createLogger } from '@crm/logging';
import { Registry } from 'prom-client';
import { VoiceService, type VoiceSettings } from './voice.service';
import { VoiceProviderError, type AudioStore, type SpeechSynthesizer } from './voice.ports';

const logger = createLogger({ service: 'voice-test', level: 'silent' });

class MemoryStore implements AudioStore {
  readonly files = new Map<string, Buffer>();
  has(key: string) {
    return Promise.resolve(this.files.has(key));
  }
  put(key: string, mp3: Buffer) {
    this.files.set(key, mp3);
    return Promise.resolve();
  }
  get(key: string) {
    return Promise.resolve(this.files.get(key) ?? null);
  }
  delete(keys: readonly string[]) {
    return Promise.resolve(keys.filter((k) => this.files.delete(k)).length);
  }
}

class FakeSynthesizer implements SpeechSynthesizer {
  readonly provider = 'fake';
  readonly voiceKey = 'fake:fr';
  calls = 0;
  behaviour: 'ok' | 'fail' | 'slow' | 'hang' = 'ok';
  slowMs = 300;
  synthesize(text: string, signal: AbortSignal): Promise<Buffer> {
    this.calls += 1;
    if (this.behaviour === 'fail')
      return Promise.reject(new VoiceProviderError('fake', 'unavailable', 'down'));
    return new Promise((resolve, reject) => {
      if (this.behaviour === 'hang') {
        signal.addEventListener('abort', () => reject(new VoiceProviderError('fake', 'timeout', 'aborted')));
        return;
      }
      setTimeout(() => resolve(Buffer.from(`mp3:${text}`)), this.behaviour === 'slow' ? this.slowMs : 0);
    });
  }
}

function voiceWith(synth: FakeSynthesizer, overrides: Partial<VoiceSettings> = {}) {
  const store = new MemoryStore();
  const registry = new Registry();
  const recorded = new Map<string, string>();
  const voice = new VoiceService(
    {
      synthesizer: synth,
      recognizer: null,
      store,
      publicBase: '/audio/',
      timeoutMs: 1000,
      waitMs: 1000,
      breakerFailures: 3,
      breakerOpenMs: 60_000,
      ...overrides,
    },
    (id, url) => {
      recorded.set(id, url);
      return Promise.resolve();
    },
    logger,
    registry,
  );
  const count = async (outcome: string) => {
    const metric = await registry.getSingleMetric('crm_voice_audio_total')!.get();
    return metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  };
  return { voice, store, recorded, count };
}

describe('VoiceService', () => {
  it('voices each bot message, records its URL, and makes a repeated sentence once', async () => {
    const synth = new FakeSynthesizer();
    const { voice, store, recorded, count } = voiceWith(synth);
    const urls = await voice.voice([
      { id: 'm1', text: 'Quel est votre matricule ?' },
      { id: 'm2', text: 'Quel est votre matricule ?' },
    ]);
    const again = await voice.voice([{ id: 'm3', text: 'Quel est  votre matricule ?' }]);
    expect(urls.get('m1')).toMatch(/^\/audio\/[a-f0-9]{64}\.mp3$/);
    expect(urls.get('m2')).toBe(urls.get('m1'));
    expect(again.get('m3')).toBe(urls.get('m1'));
    expect(synth.calls).toBe(1);
    expect(store.files.size).toBe(1);
    expect([...recorded.keys()].sort()).toEqual(['m1', 'm2', 'm3']);
    expect(await count('synthesized')).toBe(1);
    expect(await count('cached')).toBe(1);
  });

  it('answers within the wait budget; late audio is recorded on its message when it arrives', async () => {
    const synth = new FakeSynthesizer();
    synth.behaviour = 'slow';
    synth.slowMs = 400;
    const { voice, recorded } = voiceWith(synth, { waitMs: 50 });
    const started = Date.now();
    const urls = await voice.voice([{ id: 'late', text: 'Un instant.' }]);
    expect(Date.now() - started).toBeLessThan(350);
    expect(urls.size).toBe(0);
    await voice.drain();
    expect(recorded.get('late')).toMatch(/\.mp3$/);
  });

  it('a provider that never answers: the deadline skips the audio and counts a timeout', async () => {
    const synth = new FakeSynthesizer();
    synth.behaviour = 'hang';
    const { voice, recorded, count } = voiceWith(synth, { timeoutMs: 100, waitMs: 2000 });
    const urls = await voice.voice([{ id: 'm', text: 'Bonjour.' }]);
    expect(urls.size).toBe(0);
    expect(recorded.size).toBe(0);
    expect(await count('timeout')).toBe(1);
  });

  it('opens the breaker after consecutive failures: the provider is not called again meanwhile', async () => {
    const synth = new FakeSynthesizer();
    synth.behaviour = 'fail';
    const { voice, count } = voiceWith(synth, { breakerFailures: 3 });
    for (let i = 0; i < 6; i++) expect(await voice.audioFor(`Phrase ${i}.`)).toBeNull();
    expect(synth.calls).toBe(3);
    expect(await count('failed')).toBe(3);
    expect(await count('circuit_open')).toBe(3);
  });

  it('half-opens after its pause and closes again on a success', async () => {
    const synth = new FakeSynthesizer();
    synth.behaviour = 'fail';
    const { voice } = voiceWith(synth, { breakerFailures: 1, breakerOpenMs: 100 });
    expect(await voice.audioFor('Un.')).toBeNull();
    expect(await voice.audioFor('Deux.')).toBeNull();
    expect(synth.calls).toBe(1);
    synth.behaviour = 'ok';
    await new Promise((r) => setTimeout(r, 150));
    expect(await voice.audioFor('Trois.')).toMatch(/\.mp3$/);
    expect(await voice.audioFor('Quatre.')).toMatch(/\.mp3$/);
    expect(synth.calls).toBe(3);
  });

  it('without a synthesizer (TTS_PROVIDER=none) says nothing and calls nobody', async () => {
    const { voice } = voiceWith(new FakeSynthesizer(), { synthesizer: null });
    expect(voice.speaks).toBe(false);
    expect((await voice.voice([{ id: 'm', text: 'Bonjour.' }])).size).toBe(0);
  });
});
