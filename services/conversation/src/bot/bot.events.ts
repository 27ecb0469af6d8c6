// Events of a bot turn, in the order they happened: the client's message, the bot's replies,
// then what the turn decided. The client's message causes the rest.
import { newEvent, type AnyEvent, type Actor } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import { messageRecorded, SOURCE } from '../conversation/conversation.events';
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
  caller: Caller,
  at: Date,
): AnyEvent[] {
  const events: AnyEvent[] = [];
  // the bot speaks in the client's causal chain: each reply is caused by the client's message
  let cause = caller.causationId;
  const by = (actor = BOT_ACTOR): Caller => ({ ...caller, actor, ...(cause ? { causationId: cause } : {}) });
  for (const m of messages) {
    const event = messageRecorded(m, m.role === 'user' ? by(caller.actor) : by());
    if (m.role === 'user') cause = event.id;
    events.push(event);
  }
  const options = () => eventOptions(by(), SOURCE, conversationId, at);
  for (const outcome of outcomes) {
    switch (outcome.type) {
      case 'IntakeCompleted':
        events.push(newEvent('IntakeCompleted', intakeCompletedData(outcome, channel), options()));
        break;
      case 'HandoffRequested':
        events.push(newEvent('HandoffRequested', handoffRequestedData(outcome), options()));
        break;
    }
  }
  return events;
}
