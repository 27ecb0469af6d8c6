// The bot's voice in the chat: its audio files played one after the other in one <audio>
// element; `started` and `ended` on the element count what was really played.
export class VoicePlayer {
  private queue: string[] = [];
  private audio: HTMLAudioElement | null = null;
  private busy = false;

  constructor(private readonly onSpeaking: (speaking: boolean) => void) {}

  /** Plays through `audio` from now on; returns what detaches it. */
  attach(audio: HTMLAudioElement | null): () => void {
    this.audio = audio;
    if (!audio) return () => undefined;
    const count = (name: 'started' | 'ended') => {
      audio.dataset[name] = String(Number(audio.dataset[name] ?? 0) + 1);
    };
    const onPlaying = () => count('started');
    const onEnded = () => {
      count('ended');
      this.next();
    };
    const onError = () => this.next();
    audio.addEventListener('playing', onPlaying);
    audio.addEventListener('ended', onEnded);
    audio.addEventListener('error', onError);
    return () => {
      audio.removeEventListener('playing', onPlaying);
      audio.removeEventListener('ended', onEnded);
      audio.removeEventListener('error', onError);
      this.stop();
      this.audio = null;
    };
  }

  play(urls: readonly string[]): void {
    this.queue.push(...urls);
    if (!this.busy) this.next();
  }

  /** Silence: the client starts talking, or leaves. */
  stop(): void {
    this.queue = [];
    this.audio?.pause();
    this.setBusy(false);
  }

  private next(): void {
    const url = this.queue.shift();
    if (!this.audio || !url) return this.setBusy(false);
    this.setBusy(true);
    this.audio.src = url;
    // refused (no gesture yet, no output device): the text is on screen; try the next one
    this.audio.play().catch(() => this.next());
  }

  private setBusy(busy: boolean): void {
    if (this.busy === busy) return;
    this.busy = busy;
    this.onSpeaking(busy);
  }
}
