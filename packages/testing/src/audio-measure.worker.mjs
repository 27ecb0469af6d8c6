// Decodes an audio file (MP3, WAV, Ogg...) with audio-decode and measures it, in a worker thread:
// audio-decode is an ES module only, which jest's CommonJS loader cannot import.
// In: workerData { bytes: Uint8Array }. Out: { sampleRate, channels, durationSeconds, peak,
// rmsDbfs, voicedSeconds } or { error }.
import { parentPort, workerData } from 'node:worker_threads';
import decode from 'audio-decode';

try {
  const audio = await decode(workerData.bytes);
  const channel = audio.channelData[0];
  const sampleRate = audio.sampleRate;
  let peak = 0;
  let sum = 0;
  for (const s of channel) {
    const a = Math.abs(s);
    if (a > peak) peak = a;
    sum += s * s;
  }
  // 20 ms windows louder than -40 dBFS: speech, not silence or encoder noise
  const window = Math.max(1, Math.round(sampleRate / 50));
  let voiced = 0;
  for (let i = 0; i + window <= channel.length; i += window) {
    let w = 0;
    for (let j = i; j < i + window; j++) w += channel[j] * channel[j];
    if (Math.sqrt(w / window) > 0.01) voiced += 1;
  }
  const rms = channel.length ? Math.sqrt(sum / channel.length) : 0;
  parentPort.postMessage({
    sampleRate,
    channels: audio.channelData.length,
    durationSeconds: channel.length / sampleRate,
    peak,
    rmsDbfs: rms > 0 ? 20 * Math.log10(rms) : -Infinity,
    voicedSeconds: (voiced * window) / sampleRate,
  });
} catch (err) {
  parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
