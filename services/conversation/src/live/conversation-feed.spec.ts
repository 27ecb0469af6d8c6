// A subscriber's order rule where the events cross topics: messages travel on
// crm.conversation.messages.v1, ownership changes on crm.conversation.events.v1 (docs/events.md,
// Topic catalog), so a change may arrive before the message numbered just below it. The
// subscriber reads the missing number from the database, then drops the late copy.
import { randomUUID } from 'node:crypto';
import { type ConversationEntity } from '../conversation/conversation.entity';
import { type MessageView } from '../conversation/conversation.mapping';
import { type SequenceItem } from '../handoff/handoff.repository';
import { type LiveEvent } from './live.rules';
import { Subscriber, type FeedStore } from './conversation-feed';

const conversationId = randomUUID();
const at = new Date(Date.UTC(2026, 0, 15, 10, 0, 0));

const message = (sequence: number, text: string): MessageView => ({
  id: randomUUID(),
  claimId: null,
  conversationId,
  role: 'BOT',
  text,
  sttTranscript: null,
  sttConfidence: null,
  audioUrl: null,
  timestamp: at,
  metadata: null,
  sequence,
  advisorId: null,
});

/** The database as the subscriber reads it: the conversation at `lastSequence`, and its messages. */
function store(lastSequence: number, stored: SequenceItem[]) {
  const pages: [number, number][] = [];
  const repo: FeedStore = {
    conversationById: () =>
      Promise.resolve({
        id: conversationId,
        owner: 'bot',
        escalationId: null,
        claimId: null,
        reservedClaimId: null,
        lastSequence,
      } as unknown as ConversationEntity),
    latestChanges: () => Promise.resolve([]),
    sequencePage: (_id, after, upTo) => {
      pages.push([after, upTo]);
      return Promise.resolve(stored.filter((i) => i.sequence > after && i.sequence <= upTo));
    },
  };
  return { repo, pages };
}

async function take(iterator: AsyncIterableIterator<LiveEvent>, n: number): Promise<LiveEvent[]> {
  const out: LiveEvent[] = [];
  for (let i = 0; i < n; i++) out.push((await iterator.next()).value as LiveEvent);
  return out;
}

describe('Subscriber (live feed order across topics)', () => {
  it('gets a message from the database when the ownership change numbered after it arrives first, and drops the late copy', async () => {
    const transfer = message(4, 'Je vous mets en relation avec un conseiller.');
    const { repo, pages } = store(3, [{ kind: 'MESSAGE', sequence: 4, message: transfer }]);
    const subscriber = new Subscriber(conversationId, repo, () => undefined);
    await subscriber.open(3);

    const change: LiveEvent = {
      kind: 'OWNERSHIP',
      conversationId,
      sequence: 5,
      owner: 'WAITING_FOR_ADVISOR',
      at,
    };
    subscriber.offer(change);
    subscriber.offer({ kind: 'MESSAGE', conversationId, sequence: 4, message: transfer, at });
    subscriber.offer({ kind: 'MESSAGE', conversationId, sequence: 6, message: message(6, 'Merci'), at });

    const events = await take(subscriber.iterator, 4);
    expect(events.map((e) => [e.kind, e.sequence])).toEqual([
      ['STATE', 3],
      ['MESSAGE', 4],
      ['OWNERSHIP', 5],
      ['MESSAGE', 6],
    ]);
    expect(events[1]!.message?.text).toBe(transfer.text);
    // one read of the gap, nothing more: the late message 4 was dropped, not read again
    expect(pages).toEqual([[3, 4]]);
    expect(subscriber.owner).toBe('WAITING_FOR_ADVISOR');
  });
});
