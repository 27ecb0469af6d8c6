// Events of a bot turn, in the order they happened: the client's message, the bot's replies,
// then what the turn decided. The client's message causes the rest.
import { newEvent, type AnyEvent, type Actor } from '@crm/events';
import { messageRecorded, SOURCE, type Trace } from '../conversation/conversation.events';
import { type ChannelValue } from '../conversation/conversation.mapping';
import { type NewMessage } from '../conversation/message.rules';
import { type EngineOutcome } from '../engine';
import { handoffRequestedData, intakeCompletedData } from './bot.rules';

export const BOT_ACTOR: Actor = { kind: 'bot', id: 'claims-bot' };

export function turnEvents(
  conversationId: string,
  channel: ChannelValue,
  messages: readonly NewMessage[],
  outcomes: readonly EngineOutcome[],
  trace: Trace,
): AnyEvent[] {
  const events: AnyEvent[] = [];
  let cause: string | null = trace.causationId ?? null;
  for (const m of messages) {
    const event = messageRecorded(m, {
      actor: m.role === 'user' ? trace.actor : BOT_ACTOR,
      correlationId: trace.correlationId,
      causationId: cause,
    });
    if (m.role === 'user') cause = event.id;
    events.push(event);
  }
  const options = {
    source: SOURCE,
    subject: conversationId,
    actor: BOT_ACTOR,
    correlationId: trace.correlationId,
  };
  for (const outcome of outcomes) {
    switch (outcome.type) {
      case 'IntakeCompleted':
        events.push(
          newEvent('IntakeCompleted', intakeCompletedData(outcome, channel), {
            ...options,
            causationId: cause,
          }),
        );
        break;
      case 'HandoffRequested':
        events.push(
          newEvent('HandoffRequested', handoffRequestedData(outcome), { ...options, causationId: cause }),
        );
        break;
    }
  }
  return events;
}
