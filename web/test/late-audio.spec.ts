// The bot's audio that follows its text: played once, in the turn's order, whether the audio
// came with the answer, after it on the live feed, or (a race) on the feed before the answer.
import { LateAudio } from '../src/chat/late-audio';

describe('the bot audio that follows its text', () => {
  it('plays what the answer carried at once', () => {
    const audio = new LateAudio();
    expect(
      audio.answered([
        { id: 'a', audioUrl: '/audio/a.mp3' },
        { id: 'b', audioUrl: '/audio/b.mp3' },
      ]),
    ).toEqual(['/audio/a.mp3', '/audio/b.mp3']);
    // the feed's AUDIO events for the same sentences come later: not played twice
    expect(audio.arrived('a', '/audio/a.mp3')).toEqual([]);
    expect(audio.arrived('b', '/audio/b.mp3')).toEqual([]);
  });

  it('plays a late sentence when its audio arrives, and holds back the ones after it', () => {
    const audio = new LateAudio();
    expect(
      audio.answered([
        { id: 'a', audioUrl: null },
        { id: 'b', audioUrl: '/audio/b.mp3' },
        { id: 'c', audioUrl: null },
      ]),
    ).toEqual([]);
    expect(audio.arrived('c', '/audio/c.mp3')).toEqual([]);
    expect(audio.arrived('a', '/audio/a.mp3')).toEqual(['/audio/a.mp3', '/audio/b.mp3', '/audio/c.mp3']);
    expect(audio.arrived('a', '/audio/a.mp3')).toEqual([]);
  });

  it('keeps an AUDIO event that overtook its answer, and plays it with the answer', () => {
    const audio = new LateAudio();
    expect(audio.arrived('a', '/audio/a.mp3')).toEqual([]);
    expect(audio.answered([{ id: 'a', audioUrl: null }])).toEqual(['/audio/a.mp3']);
  });

  it('forgets what was awaited once the client speaks again, and keeps a bounded memory', () => {
    const audio = new LateAudio(2);
    audio.answered([{ id: 'a', audioUrl: null }]);
    audio.clear();
    expect(audio.arrived('a', '/audio/a.mp3')).toEqual([]);
    audio.arrived('x', '/audio/x.mp3');
    audio.arrived('y', '/audio/y.mp3');
    // 'a', the oldest, fell out of the two kept; 'x' and 'y' are still known
    expect(audio.answered([{ id: 'a' }])).toEqual([]);
    expect(audio.answered([{ id: 'x' }, { id: 'y' }])).toEqual(['/audio/x.mp3', '/audio/y.mp3']);
  });
});
