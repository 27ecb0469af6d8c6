// ElevenLabs' HTTP API (its documented shapes), the bot's voice when TTS_PROVIDER / STT_PROVIDER
// say elevenlabs:
//   POST /v1/text-to-speech/{voice_id}/stream?output_format=mp3_44100_128
//     headers xi-api-key, content-type application/json, accept audio/mpeg
//     body {text, model_id, voice_settings}; answers audio/mpeg in chunks (no language_code:
//     the multilingual model reads the language from the text, and the API refuses that field
//     for models that cannot enforce a language)
//   POST /v1/speech-to-text   multipart/form-data: file, model_id (scribe_v1), language_code
//     answers {language_code, language_probability, text, words: [{text, type, start, end, logprob}]}
// Errors: 401 (bad key), 429 (rate or concurrency limit, Retry-After), 5xx; the caller's signal
// bounds the time (voice.service.ts: deadline and circuit breaker).
import {
  VoiceProviderError,
  type Recording,
  type SpeechRecognizer,
  type SpeechSynthesizer,
  type Transcript,
} from './voice.ports';

export interface ElevenLabsSettings {
  apiKey: string;
  /** https://api.elevenlabs.io; tests point it at a local server */
  baseUrl: string;
  voiceId: string;
  ttsModel: string;
  outputFormat: string;
  sttModel: string;
  /** ISO 639-1: the bot speaks and listens in French */
  languageCode?: string;
}

const PROVIDER = 'elevenlabs';

function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** A failed answer as the breaker and the logs count it; the body is not kept (it may echo input). */
async function failure(res: Response): Promise<VoiceProviderError> {
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401 || res.status === 403)
    return new VoiceProviderError(PROVIDER, 'unauthorized', `ElevenLabs refused the key (${res.status})`);
  if (res.status === 429) {
    const retry = Number(res.headers.get('retry-after'));
    return new VoiceProviderError(
      PROVIDER,
      'rate_limited',
      'ElevenLabs: too many requests (429)',
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  if (res.status >= 500)
    return new VoiceProviderError(PROVIDER, 'unavailable', `ElevenLabs unavailable (${res.status})`);
  return new VoiceProviderError(PROVIDER, 'bad_response', `ElevenLabs answered ${res.status}`);
}

/** fetch with the provider's failures named: the network down, the deadline passed. */
async function call(url: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal });
  } catch (err) {
    if (signal.aborted) throw new VoiceProviderError(PROVIDER, 'timeout', 'ElevenLabs: no answer in time');
    throw new VoiceProviderError(
      PROVIDER,
      'unavailable',
      `ElevenLabs unreachable: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The whole body, read chunk by chunk as the streaming endpoint sends it. */
async function readAll(res: Response, signal: AbortSignal): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      parts.push(Buffer.from(chunk));
  } catch {
    if (signal.aborted)
      throw new VoiceProviderError(PROVIDER, 'timeout', 'ElevenLabs: the audio stopped coming');
    throw new VoiceProviderError(PROVIDER, 'unavailable', 'ElevenLabs: the audio stream broke');
  }
  return Buffer.concat(parts);
}

export class ElevenLabsSynthesizer implements SpeechSynthesizer {
  readonly provider = PROVIDER;
  readonly voiceKey: string;

  constructor(private readonly settings: ElevenLabsSettings) {
    this.voiceKey = `elevenlabs:${settings.voiceId}:${settings.ttsModel}:${settings.outputFormat}`;
  }

  async synthesize(text: string, signal: AbortSignal): Promise<Buffer> {
    const s = this.settings;
    const url = `${endpoint(s.baseUrl, `/v1/text-to-speech/${encodeURIComponent(s.voiceId)}/stream`)}?output_format=${encodeURIComponent(s.outputFormat)}`;
    const res = await call(
      url,
      {
        method: 'POST',
        headers: { 'xi-api-key': s.apiKey, 'content-type': 'application/json', accept: 'audio/mpeg' },
        body: JSON.stringify({
          text,
          model_id: s.ttsModel,
          voice_settings: { stability: 0.5, similarity_boost: 0.75 },
        }),
      },
      signal,
    );
    if (!res.ok) throw await failure(res);
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('audio/')) {
      await res.body?.cancel().catch(() => undefined);
      throw new VoiceProviderError(
        PROVIDER,
        'bad_response',
        `ElevenLabs answered ${type || 'no type'}, not audio`,
      );
    }
    const mp3 = await readAll(res, signal);
    if (mp3.length === 0) throw new VoiceProviderError(PROVIDER, 'bad_response', 'ElevenLabs sent no audio');
    return mp3;
  }
}

interface SttWord {
  text?: unknown;
  type?: unknown;
  logprob?: unknown;
}

/**
 * How sure the transcript is, 0 to 1: the mean word probability (exp of each word's logprob) when
 * the answer carries them, else the language probability (how sure it heard the language).
 */
export function confidenceOf(body: { language_probability?: unknown; words?: unknown }): number {
  const words = Array.isArray(body.words) ? (body.words as SttWord[]) : [];
  const probabilities = words
    .filter((w) => (w.type === undefined || w.type === 'word') && typeof w.logprob === 'number')
    .map((w) => Math.exp(Math.min(0, w.logprob as number)));
  if (probabilities.length) return probabilities.reduce((a, b) => a + b, 0) / probabilities.length;
  const language = body.language_probability;
  return typeof language === 'number' && language >= 0 && language <= 1 ? language : 0;
}

export class ElevenLabsRecognizer implements SpeechRecognizer {
  readonly provider = PROVIDER;

  constructor(private readonly settings: ElevenLabsSettings) {}

  async transcribe(recording: Recording, signal: AbortSignal): Promise<Transcript> {
    const s = this.settings;
    const form = new FormData();
    form.append('model_id', s.sttModel);
    form.append('language_code', s.languageCode ?? 'fr');
    const extension = recording.mimeType.includes('wav')
      ? 'wav'
      : recording.mimeType.includes('ogg')
        ? 'ogg'
        : 'webm';
    form.append(
      'file',
      new Blob([recording.data], { type: recording.mimeType }),
      `enregistrement.${extension}`,
    );
    const res = await call(
      endpoint(s.baseUrl, '/v1/speech-to-text'),
      { method: 'POST', headers: { 'xi-api-key': s.apiKey, accept: 'application/json' }, body: form },
      signal,
    );
    if (!res.ok) throw await failure(res);
    let body: { text?: unknown; language_code?: unknown; language_probability?: unknown; words?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      if (signal.aborted) throw new VoiceProviderError(PROVIDER, 'timeout', 'ElevenLabs: no answer in time');
      throw new VoiceProviderError(PROVIDER, 'bad_response', 'ElevenLabs answered no JSON');
    }
    if (typeof body.text !== 'string')
      throw new VoiceProviderError(PROVIDER, 'bad_response', 'ElevenLabs answered no transcript');
    return {
      text: body.text.trim(),
      confidence: Math.round(confidenceOf(body) * 100) / 100,
      languageCode: typeof body.language_code === 'string' ? body.language_code : null,
    };
  }
}
