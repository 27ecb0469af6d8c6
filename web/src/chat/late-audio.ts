// The bot's audio that follows its text. A voice turn answers with the audio made within the
// server's wait budget; the rest arrives later on the live feed (AUDIO events). This pairs the
// two, whichever comes first, so each sentence is played once and in the turn's order: a
// sentence whose audio is still missing holds back the ones after it.

export interface AnsweredMessage {
  id: string;
  audioUrl?: string | null;
}

export class LateAudio {
  /** the last answer's sentences not yet handed to the player, in order (url null: awaited) */
  private pending: { id: string; url: string | null }[] = [];
  /** AUDIO events for messages no answer named yet (its answer may still be on its way) */
  private readonly early = new Map<string, string>();

  constructor(private readonly keep = 50) {}

  /** A voice turn's bot messages: the URLs to play now, in order. */
  answered(messages: readonly AnsweredMessage[]): string[] {
    this.pending = messages.map((m) => {
      const url = m.audioUrl ?? this.early.get(m.id) ?? null;
      this.early.delete(m.id);
      return { id: m.id, url };
    });
    return this.ready();
  }

  /** An AUDIO event: the URLs it lets play now, in order (none when nothing waited for it). */
  arrived(messageId: string, url: string): string[] {
    const waiting = this.pending.find((p) => p.id === messageId);
    if (waiting) {
      waiting.url ??= url;
      return this.ready();
    }
    this.early.set(messageId, url);
    while (this.early.size > this.keep) this.early.delete(this.early.keys().next().value!);
    return [];
  }

  /** The client speaks again or leaves: what was still awaited is no longer wanted. */
  clear(): void {
    this.pending = [];
  }

  private ready(): string[] {
    const urls: string[] = [];
    while (this.pending[0]?.url) urls.push(this.pending.shift()!.url!);
    return urls;
  }
}
