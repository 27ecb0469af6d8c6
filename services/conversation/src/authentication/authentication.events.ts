// AuthenticationLocked: a matricule the bot stopped trying. What advisors need to call the
// client back (his id, the conversation, when), the matricule's end only, never the address.
import { newEvent, type EventEnvelope } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import { BOT_ACTOR } from '../bot/bot.events';
import { SOURCE } from '../conversation/conversation.events';
import type { AlertRow } from './authentication.repository';

export function authenticationLocked(alert: AlertRow, caller: Caller): EventEnvelope<'AuthenticationLocked'> {
  return newEvent(
    'AuthenticationLocked',
    {
      alertId: alert.id,
      clientId: alert.clientId,
      conversationId: alert.conversationId,
      matriculeHint: alert.matriculeHint,
      lockout: alert.lockout,
      failures: alert.failures,
      lockedAt: alert.lockedAt.toISOString(),
      lockedUntil: alert.lockedUntil.toISOString(),
    },
    eventOptions({ ...caller, actor: BOT_ACTOR }, SOURCE, alert.id, alert.lockedAt),
  );
}
