// The offline French voice (the default: npm start and the tests need no key and no network):
// eSpeak NG in a worker thread (espeak.worker.mjs), started on the first sentence and kept.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { VoiceProviderError, type SpeechSynthesizer } from './voice.ports';

interface Pending {
  resolve: (mp3: Buffer) => void;
  reject: (err: Error) => void;
}

type Answer = { id: number; mp3: Uint8Array } | { id: number; error: string };

/** The worker beside this module (src/ under tsx and jest; dist/ after the build copies it). */
function workerPath(): string {
  for (const dir of [__dirname, join(__dirname, '..', '..', 'src', 'voice')]) {
    const path = join(dir, 'espeak.worker.mjs');
    if (existsSync(path)) return path;
  }
  throw new Error('conversation: espeak.worker.mjs not found');
}

export class OfflineSynthesizer implements SpeechSynthesizer {
  readonly provider = 'offline';
  readonly voiceKey: string;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(private readonly voice = 'fr') {
    this.voiceKey = `espeak-ng:${voice}:mp3-48k`;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerPath(), { workerData: { voice: this.voice } });
    // an idle voice does not keep the process alive
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      if ('error' in answer)
        waiting.reject(new VoiceProviderError(this.provider, 'bad_response', answer.error));
      else waiting.resolve(Buffer.from(answer.mp3.buffer, answer.mp3.byteOffset, answer.mp3.byteLength));
    });
    const fail = (err: Error) => {
      for (const waiting of this.pending.values())
        waiting.reject(new VoiceProviderError(this.provider, 'unavailable', err.message));
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the voice's worker stopped (${code})`)));
    this.worker = worker;
    return worker;
  }

  synthesize(text: string, signal: AbortSignal): Promise<Buffer> {
    const worker = this.start();
    const id = (this.next += 1);
    return new Promise<Buffer>((resolve, reject) => {
      if (signal.aborted) return reject(new VoiceProviderError(this.provider, 'timeout', 'aborted'));
      // the worker finishes the sentence anyway (its result then lands in nobody's hands)
      const onAbort = () => {
        this.pending.delete(id);
        reject(new VoiceProviderError(this.provider, 'timeout', 'aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (mp3) => {
          signal.removeEventListener('abort', onAbort);
          resolve(mp3);
        },
        reject: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      });
      worker.postMessage({ id, text });
    });
  }

  /** Starts the worker and says one word: the voice's data is loaded before the first client. */
  async warmUp(): Promise<void> {
    await this.synthesize('Bonjour.', AbortSignal.timeout(120_000));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
