// Pure rules of the voice: the content key of a spoken sentence and its public URL.
import { createHash } from 'node:crypto';

/** sha256 hex, then `.mp3`: what the gateway serves under its audio path */
export const AUDIO_FILE = /^([a-f0-9]{64})\.mp3$/;

/**
 * The key of one sentence in one voice: the same words in the same voice are synthesized once
 * and served from the store after (the bot repeats its questions). A hash of the content: the
 * URL reveals nothing of the words and cannot be guessed without them.
 */
export function audioKey(voiceKey: string, text: string): string {
  return createHash('sha256').update(voiceKey).update('\n').update(text.normalize('NFC')).digest('hex');
}

/** `/audio/<key>.mp3`, or under the public base URL configured (AUDIO_PUBLIC_BASE). */
export function audioUrlOf(base: string, key: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${key}.mp3`;
}

/** The clip's key in an audio URL (`…/<key>.mp3`, whatever the base), or null. */
export function audioKeyOfUrl(url: string): string | null {
  return AUDIO_FILE.exec(url.slice(url.lastIndexOf('/') + 1))?.[1] ?? null;
}

/** The text a synthesizer is given: one line, without the markdown-like bullets the chat shows. */
export function speakable(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[•*_`#]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}
