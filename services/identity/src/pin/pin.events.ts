// ClientPinChanged: the code's hash (or null once removed) for the bot's directory in
// conversation. Never the code itself.
import { newEvent, type ClientPinChangedDataV1, type EventEnvelope } from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import { SOURCE } from '../client/client.events';

export function clientPinChanged(
  clientId: string,
  pinHash: string | null,
  at: Date,
  caller: Caller,
): EventEnvelope<'ClientPinChanged'> {
  const data: ClientPinChangedDataV1 = { clientId, pinHash, changedAt: at.toISOString() };
  return newEvent('ClientPinChanged', data, eventOptions(caller, SOURCE, clientId, at));
}
