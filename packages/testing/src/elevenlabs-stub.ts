// A local server speaking ElevenLabs' documented HTTP API, for contract tests of the bot's
// adapters and for the system and browser tests (nothing leaves the machine). It checks what it
// receives as ElevenLabs would (the key header, the path, the JSON or multipart fields, the model)
// and, for speech to text, that the file is real audio: decodable and not silent. Each request is
// recorded with what was wrong with it, and `failWith` makes it answer 401, 429, 5xx or never.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measureAudio, type AudioMeasure } from './audio';

export type StubFailure = 401 | 429 | 500 | 503 | 'hang';

export interface StubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  apiKey: string | null;
  /** text to speech: the JSON body */
  json?: Record<string, unknown>;
  /** speech to text: the multipart fields (the file's size, type and name) and its measure */
  fields?: Record<string, string>;
  file?: { size: number; type: string; name: string; audio: AudioMeasure | null };
  /** what ElevenLabs would refuse in it (empty: a well-formed request) */
  problems: string[];
  status: number;
}

export interface ElevenLabsStubOptions {
  apiKey: string;
  /** the MP3 bytes it streams back for any text (sent in `chunks` pieces) */
  speech?: Buffer;
  chunks?: number;
  /** the transcript it answers a good recording with, and the words' log-probability */
  transcript?: string;
  logprob?: number;
}

export interface ElevenLabsStub {
  baseUrl: string;
  requests: StubRequest[];
  /** the next answers fail so (until `failWith(null)`) */
  failWith(failure: StubFailure | null): void;
  /** the transcript of the next recordings */
  setTranscript(text: string, logprob?: number): void;
  close(): Promise<void>;
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export async function startElevenLabsStub(options: ElevenLabsStubOptions): Promise<ElevenLabsStub> {
  const requests: StubRequest[] = [];
  let failing: StubFailure | null = null;
  let transcript = options.transcript ?? 'bonjour';
  let logprob = options.logprob ?? -0.05;
  const speech = options.speech ?? Buffer.from('ID3stub-mp3-bytes'.repeat(64));
  const chunks = Math.max(1, options.chunks ?? 4);
  const hanging = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const raw = await readRaw(req);
      const header = req.headers['xi-api-key'];
      const record: StubRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        apiKey: typeof header === 'string' ? header : null,
        problems: [],
        status: 0,
      };
      requests.push(record);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (failing === 'hang') {
        record.status = -1;
        hanging.add(() => res.destroy());
        return;
      }
      if (failing === 401 || record.apiKey !== options.apiKey)
        return answer(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
      if (failing === 429)
        return answer(
          429,
          { detail: { status: 'too_many_concurrent_requests', message: 'Too many requests' } },
          { 'retry-after': '7' },
        );
      if (failing === 500 || failing === 503)
        return answer(failing, { detail: { status: 'internal_error', message: 'Service unavailable' } });

      const tts = /^\/v1\/text-to-speech\/([A-Za-z0-9]+)(\/stream)?$/.exec(url.pathname);
      if (req.method === 'POST' && tts) {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        } catch {
          record.problems.push('body is not JSON');
        }
        record.json = json;
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
          record.problems.push('content-type is not application/json');
        if (typeof json.text !== 'string' || !json.text.trim()) record.problems.push('text missing');
        if (typeof json.model_id !== 'string') record.problems.push('model_id missing');
        if (json.voice_settings !== undefined && typeof json.voice_settings !== 'object')
          record.problems.push('voice_settings is not an object');
        if (!/^mp3_\d+_\d+$/.test(url.searchParams.get('output_format') ?? ''))
          record.problems.push('output_format is not an MP3 format');
        if (record.problems.length)
          return answer(422, { detail: [{ msg: record.problems.join('; '), type: 'value_error' }] });
        record.status = 200;
        res.writeHead(200, { 'content-type': 'audio/mpeg', 'transfer-encoding': 'chunked' });
        const size = Math.ceil(speech.length / chunks);
        for (let i = 0; i < speech.length; i += size) {
          res.write(speech.subarray(i, i + size));
          await new Promise((r) => setTimeout(r, 5));
        }
        res.end();
        return;
      }

      if (req.method === 'POST' && url.pathname === '/v1/speech-to-text') {
        const fields: Record<string, string> = {};
        let file: File | null = null;
        try {
          const form = await new Request('http://stub/', {
            method: 'POST',
            headers: { 'content-type': String(req.headers['content-type'] ?? '') },
            body: raw,
          }).formData();
          for (const [name, value] of form.entries()) {
            if (typeof value === 'string') fields[name] = value;
            else if (name === 'file') file = value;
          }
        } catch {
          record.problems.push('body is not multipart/form-data');
        }
        record.fields = fields;
        if (!fields.model_id) record.problems.push('model_id missing');
        else if (!['scribe_v1', 'scribe_v1_experimental', 'scribe_v2'].includes(fields.model_id))
          record.problems.push(`unknown model_id ${fields.model_id}`);
        if (!file) record.problems.push('file missing');
        else {
          const bytes = new Uint8Array(await file.arrayBuffer());
          let audio: AudioMeasure | null = null;
          try {
            audio = await measureAudio(bytes);
          } catch {
            record.problems.push('file is not decodable audio');
          }
          record.file = { size: bytes.length, type: file.type, name: file.name, audio };
          if (audio && (audio.peak < 0.02 || audio.voicedSeconds < 0.2))
            record.problems.push('file is silent');
        }
        if (record.problems.length)
          return answer(400, { detail: { status: 'invalid_request', message: record.problems.join('; ') } });
        const words = transcript
          .split(/\s+/)
          .filter(Boolean)
          .flatMap((text, i) => [
            ...(i ? [{ text: ' ', type: 'spacing', start: i * 0.4 - 0.05, end: i * 0.4, logprob: 0 }] : []),
            { text, type: 'word', start: i * 0.4, end: i * 0.4 + 0.35, logprob, speaker_id: 'speaker_0' },
          ]);
        return answer(200, {
          // ElevenLabs names the language heard in ISO 639-3, whatever was asked
          language_code: 'fra',
          language_probability: 0.98,
          text: transcript,
          words,
        });
      }
      answer(404, { detail: { status: 'not_found', message: `no ${req.method} ${url.pathname}` } });
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    failWith(failure) {
      failing = failure;
    },
    setTranscript(text, lp) {
      transcript = text;
      if (lp !== undefined) logprob = lp;
    },
    close() {
      for (const drop of hanging) drop();
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
