// The offline French voice, in its own thread: eSpeak NG compiled to WebAssembly
// (@echogarden/espeak-ng-emscripten, its voice data shipped inside the package: no network, no
// key) and the MP3 encoder (@breezystack/lamejs, pure JavaScript). Synthesis is synchronous CPU
// work (tens to hundreds of milliseconds a sentence): kept off the service's event loop, so a
// turn's text never waits for it. Plain JavaScript because both packages are ES modules only and
// a worker runs outside the TypeScript loaders (tsx, ts-jest).
//
// Messages: in { id, text }, out { id, mp3: Uint8Array, sampleRate, samples } or { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import createEspeak from '@echogarden/espeak-ng-emscripten';
import { Mp3Encoder } from '@breezystack/lamejs';

const voice = workerData?.voice ?? 'fr';
const bitrateKbps = workerData?.bitrateKbps ?? 48;
/** lamejs encodes 1152 samples a frame; a multiple keeps the frames full */
const BLOCK = 1152 * 8;

const ready = (async () => {
  const espeak = await createEspeak();
  const worker = new espeak.eSpeakNGWorker();
  worker.set_voice(voice);
  return worker;
})();

function encodeMp3(pcm, sampleRate) {
  const encoder = new Mp3Encoder(1, sampleRate, bitrateKbps);
  const parts = [];
  for (let i = 0; i < pcm.length; i += BLOCK) {
    const frame = encoder.encodeBuffer(pcm.subarray(i, i + BLOCK));
    if (frame.length) parts.push(frame);
  }
  const last = encoder.flush();
  if (last.length) parts.push(last);
  const size = parts.reduce((n, p) => n + p.length, 0);
  const mp3 = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    mp3.set(p, at);
    at += p.length;
  }
  return mp3;
}

parentPort.on('message', async ({ id, text }) => {
  try {
    const worker = await ready;
    const chunks = [];
    worker.synthesize(text, (samples) => {
      if (samples && samples.length) chunks.push(samples);
      return false; // go on
    });
    const samples = chunks.reduce((n, c) => n + c.length, 0);
    const pcm = new Int16Array(samples);
    let at = 0;
    for (const c of chunks) {
      pcm.set(c, at);
      at += c.length;
    }
    const sampleRate =
      typeof worker.getSampleRate === 'function'
        ? worker.getSampleRate()
        : typeof worker.get_samplerate === 'function'
          ? worker.get_samplerate()
          : 22050;
    const mp3 = encodeMp3(pcm, sampleRate);
    parentPort.postMessage({ id, mp3, sampleRate, samples }, [mp3.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
