import { type AnyEvent } from '@crm/events';
import { deliveryOf, liveEventOf } from './live.rules';

const envelope = (type: string, data: Record<string, unknown>): AnyEvent =>
  ({ id: 'e1', type, version: 1, occurredAt: '2031-01-01T10:00:00.000Z', data }) as unknown as AnyEvent;

describe('live conversation rules', () => {
  it('delivers each number once and in order, and asks for the missing ones first', () => {
    expect(deliveryOf(5, 4)).toEqual({ kind: 'deliver' });
    expect(deliveryOf(4, 4)).toEqual({ kind: 'drop' });
    expect(deliveryOf(2, 4)).toEqual({ kind: 'drop' });
    expect(deliveryOf(8, 4)).toEqual({ kind: 'fill', after: 4, upTo: 7 });
    // typing and queue moves are not numbered
    expect(deliveryOf(null, 4)).toEqual({ kind: 'deliver' });
  });

  it('reads a message, an ownership change and a typing event of a conversation', () => {
    const message = liveEventOf(
      envelope('MessageRecorded', {
        messageId: 'm1',
        conversationId: 'C1',
        role: 'ADVISOR',
        advisorId: 'a1',
        text: 'Bonjour',
        recordedAt: '2031-01-01T10:00:00.000Z',
        sequence: 7,
      }),
    );
    expect(message).toMatchObject({
      kind: 'MESSAGE',
      conversationId: 'c1',
      sequence: 7,
      message: { id: 'm1', role: 'ADVISOR', advisorId: 'a1', text: 'Bonjour', sequence: 7 },
    });
    const change = liveEventOf(
      envelope('ConversationOwnershipChanged', {
        conversationId: 'c1',
        from: 'WAITING_FOR_ADVISOR',
        to: 'ADVISOR',
        cause: 'ADVISOR_ASSIGNED',
        advisorId: 'a1',
        advisorName: 'Claire Martin',
        sequence: 8,
        changedAt: '2031-01-01T10:00:00.000Z',
      }),
    );
    expect(change).toMatchObject({
      kind: 'OWNERSHIP',
      owner: 'ADVISOR',
      sequence: 8,
      ownership: { advisorId: 'a1' },
    });
    expect(
      liveEventOf(
        envelope('ParticipantTyping', {
          conversationId: 'c1',
          participant: 'CLIENT',
          typing: true,
          at: '2031-01-01T10:00:00.000Z',
        }),
      ),
    ).toMatchObject({ kind: 'TYPING', sequence: null, participant: 'CLIENT', typing: true });
    // the audio follows its message: no number of its own, the message's in its payload
    expect(
      liveEventOf(
        envelope('MessageAudioReady', {
          conversationId: 'C1',
          messageId: 'm7',
          sequence: 7,
          audioUrl: '/audio/ab.mp3',
          readyAt: '2031-01-01T10:00:01.000Z',
        }),
      ),
    ).toEqual({
      kind: 'AUDIO',
      conversationId: 'c1',
      sequence: null,
      audio: { messageId: 'm7', sequence: 7, url: '/audio/ab.mp3' },
      at: new Date('2031-01-01T10:00:00.000Z'),
    });
  });

  it('ignores a message posted on a claim only, and other events', () => {
    expect(
      liveEventOf(
        envelope('MessageRecorded', {
          messageId: 'm1',
          claimId: 'k1',
          role: 'SYSTEM',
          recordedAt: '2031-01-01T10:00:00.000Z',
        }),
      ),
    ).toBeNull();
    expect(liveEventOf(envelope('ClaimOpened', { claimId: 'k1' }))).toBeNull();
  });
});
