// Push-to-talk's microphone: records while the button is held, then hands over a WAV file
// (16 kHz, mono, 16-bit PCM), the format every speech-to-text provider reads and the server can
// check. Web Audio rather than MediaRecorder, which gives only compressed containers (WebM/Opus,
// MP4): WAV needs no decoder to be checked.
import { downsample, encodeWav } from './wav';

/** the rate speech recognition needs; more only makes the upload bigger */
const TARGET_RATE = 16_000;
/** the mutation takes 600 000 bytes: about 18 s at 16 kHz; the recording stops itself before */
export const MAX_RECORDING_SECONDS = 15;

export interface ActiveRecording {
  /** stops the microphone and gives the recording as a WAV file */
  stop(): Promise<Blob>;
  /** stops the microphone and drops what was recorded */
  cancel(): void;
}

export function canRecord(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getUserMedia === 'function' &&
    typeof window.AudioContext === 'function'
  );
}

/** Opens the microphone (the browser asks the person the first time) and starts recording. */
export async function startRecording(): Promise<ActiveRecording> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
  });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  // ScriptProcessorNode is deprecated but everywhere; an AudioWorklet would need a module of its own
  const processor = context.createScriptProcessor(4096, 1, 1);
  const chunks: Float32Array[] = [];
  let samples = 0;
  const limit = MAX_RECORDING_SECONDS * context.sampleRate;
  processor.onaudioprocess = (event) => {
    if (samples >= limit) return;
    const input = event.inputBuffer.getChannelData(0);
    chunks.push(new Float32Array(input));
    samples += input.length;
  };
  source.connect(processor);
  // a processor runs only when connected to the output; it writes nothing to it
  processor.connect(context.destination);

  const release = () => {
    processor.onaudioprocess = null;
    source.disconnect();
    processor.disconnect();
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  return {
    stop() {
      const rate = context.sampleRate;
      release();
      return Promise.resolve(encodeWav(downsample(concat(chunks, samples), rate, TARGET_RATE), TARGET_RATE));
    },
    cancel: release,
  };
}

function concat(chunks: Float32Array[], length: number): Float32Array {
  const all = new Float32Array(length);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk.subarray(0, Math.min(chunk.length, length - at)), at);
    at += chunk.length;
    if (at >= length) break;
  }
  return all;
}

/** The file's bytes in base64, as the mutation takes them. */
export function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve(typeof reader.result === 'string' ? reader.result.replace(/^data:[^,]*,/, '') : '');
    reader.onerror = () => reject(reader.error ?? new Error('the recording could not be read'));
    reader.readAsDataURL(blob);
  });
}
