// Real audio, measured: tests of the bot's voice decode what was served or sent and check that
// it is sound (decodable, non-silent, of a plausible length), not just bytes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface AudioMeasure {
  sampleRate: number;
  channels: number;
  durationSeconds: number;
  /** the loudest sample, 0 to 1 */
  peak: number;
  /** the whole file's loudness */
  rmsDbfs: number;
  /** the time spent above -40 dBFS, in 20 ms windows */
  voicedSeconds: number;
}

function workerPath(): string {
  for (const dir of [__dirname, join(__dirname, '..', 'src')]) {
    const path = join(dir, 'audio-measure.worker.mjs');
    if (existsSync(path)) return path;
  }
  throw new Error('@crm/testing: audio-measure.worker.mjs not found');
}

/** Decodes `bytes` (MP3, WAV, Ogg...) and measures it; rejects when it is not audio. */
export function measureAudio(bytes: Uint8Array): Promise<AudioMeasure> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath(), { workerData: { bytes } });
    worker.once('message', (answer: AudioMeasure | { error: string }) => {
      void worker.terminate();
      if ('error' in answer) reject(new Error(`not decodable audio: ${answer.error}`));
      else resolve(answer);
    });
    worker.once('error', reject);
  });
}
