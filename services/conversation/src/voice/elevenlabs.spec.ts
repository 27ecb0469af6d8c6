// Contract tests of the ElevenLabs adapters against a local server implementing the documented
// request and response shapes (packages/testing elevenlabs-stub.ts): the key header, the JSON
// and multipart bodies, the streamed audio, and the error answers (401, 429, 5xx, no answer).
import { measureAudio, startElevenLabsStub, type ElevenLabsStub } from '@crm/testing';
import {
  ElevenLabsRecognizer,
  ElevenLabsSynthesizer,
  confidenceOf,
  type ElevenLabsSettings,
} from './elevenlabs';
import { OfflineSynthesizer } from './offline-synthesizer';
import { VoiceProviderError } from './voice.ports';

const KEY = 'test-key-0123456789';

/** A WAV of silence: decodable, but nothing said. */
function silentWav(seconds: number, rate = 16000): Buffer {
  const data = Buffer.alloc(seconds * rate * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('ElevenLabs adapters (contract, local server)', () => {
  let stub: ElevenLabsStub;
  let settings: ElevenLabsSettings;
  let spoken: Buffer;
  const offline = new OfflineSynthesizer();
  const signal = () => AbortSignal.timeout(20_000);

  beforeAll(async () => {
    spoken = await offline.synthesize(
      'Bonjour, je voudrais déclarer un sinistre.',
      AbortSignal.timeout(60_000),
    );
    stub = await startElevenLabsStub({ apiKey: KEY, speech: spoken, chunks: 5, transcript: 'AB-123-CD' });
    settings = {
      apiKey: KEY,
      baseUrl: stub.baseUrl,
      voiceId: 'VoiceFr01',
      ttsModel: 'eleven_multilingual_v2',
      outputFormat: 'mp3_44100_128',
      sttModel: 'scribe_v1',
    };
  }, 90_000);

  afterAll(async () => {
    await stub?.close();
    await offline.close();
  });

  afterEach(() => stub.failWith(null));

  const lastRequest = () => stub.requests[stub.requests.length - 1]!;

  it('text to speech: the documented request, and the streamed audio gathered whole', async () => {
    const tts = new ElevenLabsSynthesizer(settings);
    const mp3 = await tts.synthesize('Quel est votre matricule ?', signal());
    expect(mp3.equals(spoken)).toBe(true);
    const req = lastRequest();
    expect(req).toMatchObject({
      method: 'POST',
      path: '/v1/text-to-speech/VoiceFr01/stream',
      query: { output_format: 'mp3_44100_128' },
      apiKey: KEY,
      problems: [],
      status: 200,
    });
    expect(req.json).toMatchObject({
      text: 'Quel est votre matricule ?',
      model_id: 'eleven_multilingual_v2',
    });
    expect(Object.keys(req.json!).sort()).toEqual(['model_id', 'text', 'voice_settings']);
    expect((await measureAudio(mp3)).durationSeconds).toBeGreaterThan(1);
    expect(tts.voiceKey).toBe('elevenlabs:VoiceFr01:eleven_multilingual_v2:mp3_44100_128');
  });

  it('speech to text: multipart with the file, model_id and language; transcript and confidence back', async () => {
    const stt = new ElevenLabsRecognizer(settings);
    const transcript = await stt.transcribe({ data: spoken, mimeType: 'audio/mpeg' }, signal());
    expect(transcript).toEqual({ text: 'AB-123-CD', confidence: 0.95, languageCode: 'fra' });
    const req = lastRequest();
    expect(req).toMatchObject({ path: '/v1/speech-to-text', apiKey: KEY, problems: [], status: 200 });
    expect(req.fields).toMatchObject({ model_id: 'scribe_v1', language_code: 'fr' });
    expect(req.file).toMatchObject({ size: spoken.length, type: 'audio/mpeg' });
    expect(req.file!.audio!.voicedSeconds).toBeGreaterThan(0.5);
  });

  it('a silent recording is refused by the server (400): a bad response, not a transcript', async () => {
    const stt = new ElevenLabsRecognizer(settings);
    await expect(
      stt.transcribe({ data: silentWav(2), mimeType: 'audio/wav' }, signal()),
    ).rejects.toMatchObject({
      failure: 'bad_response',
    });
    expect(lastRequest().problems).toContain('file is silent');
  });

  it.each([
    [401, 'unauthorized'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('answer %s becomes %s for both adapters', async (status, failure) => {
    stub.failWith(status);
    const tts = new ElevenLabsSynthesizer(settings);
    const stt = new ElevenLabsRecognizer(settings);
    const ttsError = await tts.synthesize('Bonjour', signal()).catch((e: unknown) => e);
    const sttError = await stt
      .transcribe({ data: spoken, mimeType: 'audio/mpeg' }, signal())
      .catch((e: unknown) => e);
    for (const err of [ttsError, sttError]) {
      expect(err).toBeInstanceOf(VoiceProviderError);
      expect(err).toMatchObject({ provider: 'elevenlabs', failure });
    }
    if (status === 429) expect(ttsError).toMatchObject({ retryAfterSeconds: 7 });
  });

  it('a wrong key is refused (401) by the server itself', async () => {
    const tts = new ElevenLabsSynthesizer({ ...settings, apiKey: 'wrong' });
    await expect(tts.synthesize('Bonjour', signal())).rejects.toMatchObject({ failure: 'unauthorized' });
    expect(lastRequest().apiKey).toBe('wrong');
  });

  it('no answer: the deadline ends the call as a timeout', async () => {
    stub.failWith('hang');
    const tts = new ElevenLabsSynthesizer(settings);
    const stt = new ElevenLabsRecognizer(settings);
    const started = Date.now();
    await expect(tts.synthesize('Bonjour', AbortSignal.timeout(300))).rejects.toMatchObject({
      failure: 'timeout',
    });
    await expect(
      stt.transcribe({ data: spoken, mimeType: 'audio/mpeg' }, AbortSignal.timeout(300)),
    ).rejects.toMatchObject({
      failure: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an unreachable provider is unavailable', async () => {
    const tts = new ElevenLabsSynthesizer({ ...settings, baseUrl: 'http://127.0.0.1:1' });
    await expect(tts.synthesize('Bonjour', signal())).rejects.toMatchObject({ failure: 'unavailable' });
  });
});

describe('confidenceOf', () => {
  it('is the mean word probability, spacing ignored, else the language probability', () => {
    expect(
      confidenceOf({
        words: [
          { text: 'oui', type: 'word', logprob: 0 },
          { text: ' ', type: 'spacing', logprob: -9 },
          { text: 'non', type: 'word', logprob: Math.log(0.5) },
        ],
      }),
    ).toBeCloseTo(0.75);
    expect(confidenceOf({ language_probability: 0.42, words: [{ text: 'oui', type: 'word' }] })).toBe(0.42);
    expect(confidenceOf({})).toBe(0);
  });
});
