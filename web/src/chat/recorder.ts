// Push-to-talk's microphone: records while the button is held, then hands over a WAV file
// (16 kHz, mono, 16-bit PCM), the format every speech-to-text provider reads and the server can
// check. Web Audio rather than MediaRecorder: browsers record only compressed containers
// (WebM/Opus, MP4) there, of which WAV is the one that needs no decoder to verify.

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

/** Averages each output sample's span of input samples (a simple low-pass before decimation). */
export function downsample(input: Float32Array, from: number, to: number): Float32Array {
  if (to >= from) return input;
  const ratio = from / to;
  const output = new Float32Array(Math.floor(input.length / ratio));
  for (let i = 0; i < output.length; i++) {
    const start = Math.floor(i * ratio);
    const end = Math.min(input.length, Math.floor((i + 1) * ratio));
    let sum = 0;
    for (let j = start; j < end; j++) sum += input[j]!;
    output[i] = end > start ? sum / (end - start) : 0;
  }
  return output;
}

/** RIFF/WAVE, PCM 16-bit mono. */
export function encodeWav(samples: Float32Array, rate: number): Blob {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (at: number, value: string) => {
    for (let i = 0; i < value.length; i++) view.setUint8(at + i, value.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buffer], { type: 'audio/wav' });
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
