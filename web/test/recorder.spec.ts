// Push-to-talk's WAV, as the server will read it: a tone recorded at 48 kHz, brought down to
// 16 kHz and encoded, decodes (audio-decode, through @crm/testing) to the same length and loudness.
import { measureAudio } from '@crm/testing';
import { downsample, encodeWav } from '../src/chat/wav';

describe('the recorder', () => {
  it('downsamples 48 kHz to 16 kHz and writes a WAV any decoder reads', async () => {
    const seconds = 1.5;
    const input = new Float32Array(48_000 * seconds);
    for (let i = 0; i < input.length; i++) input[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000);
    const samples = downsample(input, 48_000, 16_000);
    expect(samples.length).toBe(16_000 * seconds);
    const wav = encodeWav(samples, 16_000);
    expect(wav.type).toBe('audio/wav');
    expect(wav.size).toBe(44 + samples.length * 2);
    const audio = await measureAudio(new Uint8Array(await wav.arrayBuffer()));
    expect(audio.sampleRate).toBe(16_000);
    expect(audio.durationSeconds).toBeCloseTo(seconds, 2);
    // averaging three samples of a 440 Hz tone keeps nearly all of it
    expect(audio.peak).toBeGreaterThan(0.45);
    expect(audio.voicedSeconds).toBeGreaterThan(1.4);
  });

  it('keeps silence silent and clips what is out of range', async () => {
    const loud = new Float32Array(16_000).fill(3);
    const audio = await measureAudio(new Uint8Array(await encodeWav(loud, 16_000).arrayBuffer()));
    expect(audio.peak).toBeLessThanOrEqual(1);
    expect(audio.peak).toBeGreaterThan(0.99);
    const quiet = await measureAudio(
      new Uint8Array(await encodeWav(new Float32Array(16_000), 16_000).arrayBuffer()),
    );
    expect(quiet.peak).toBe(0);
    expect(quiet.voicedSeconds).toBe(0);
  });
});
