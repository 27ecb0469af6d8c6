// The client events' data: the whole client record, so that consumers (the bot's
// authentication projection in conversation) keep a copy without calling back.
import {
  newEvent,
  partnerMessageKey,
  type ClientErasedDataV3,
  type ClientRegisteredDataV1,
  type ClientUpdatedDataV1,
  type EventEnvelope,
} from '@crm/events';
import { eventOptions, type Caller } from '@crm/subgraph';
import type { ClientField, ClientState } from './client.rules';

type ClientSnapshot = Omit<ClientRegisteredDataV1, 'registeredAt'>;

export const SOURCE = 'identity';

function snapshot(client: ClientState): ClientSnapshot {
  if (client.status === 'ERASED') throw new Error('an erased client has no snapshot');
  const data: ClientSnapshot = {
    clientId: client.id,
    matricule: client.matricule,
    lastName: client.lastName,
    firstName: client.firstName,
    status: client.status,
  };
  // absent = empty: the schemas keep optional fields non-null
  if (client.civility !== null) data.civility = client.civility;
  if (client.birthDate !== null) data.birthDate = client.birthDate;
  if (client.email !== null) data.email = client.email;
  if (client.phone !== null) data.phone = client.phone;
  if (client.address !== null) data.address = client.address;
  if (client.postalCode !== null) data.postalCode = client.postalCode;
  if (client.city !== null) data.city = client.city;
  return data;
}

const options = (client: ClientState, caller: Caller, at: Date) =>
  eventOptions(caller, SOURCE, client.id, at);

export function clientRegistered(client: ClientState, caller: Caller): EventEnvelope<'ClientRegistered'> {
  const data: ClientRegisteredDataV1 = { ...snapshot(client), registeredAt: client.createdAt.toISOString() };
  return newEvent('ClientRegistered', data, options(client, caller, client.createdAt));
}

export function clientUpdated(
  client: ClientState,
  changedFields: ClientField[],
  caller: Caller,
): EventEnvelope<'ClientUpdated'> {
  const [first, ...rest] = changedFields;
  if (first === undefined) throw new Error('ClientUpdated needs at least one changed field');
  const data: ClientUpdatedDataV1 = {
    ...snapshot(client),
    changedFields: [first, ...rest],
    updatedAt: client.updatedAt.toISOString(),
  };
  return newEvent('ClientUpdated', data, options(client, caller, client.updatedAt));
}

/**
 * `leadCaseIds`: the first cases (at most CASES_PER_EVENT) of the lead erased with the client
 * (his e-mail's), the others told in LeadErased events; absent when there are none.
 */
export function clientErased(
  client: ClientState,
  contractIds: string[],
  leadCaseIds: string[],
  /** the e-mail the client had (normalized), before the erasure wiped it */
  email: string | null,
  caller: Caller,
): EventEnvelope<'ClientErased'> {
  const data: ClientErasedDataV3 = {
    clientId: client.id,
    contractIds,
    erasedAt: client.updatedAt.toISOString(),
    reason: 'GDPR_REQUEST',
  };
  if (leadCaseIds.length > 0) data.leadCaseIds = leadCaseIds;
  // the digest of the e-mail he had, under which claims sealed partners' messages it refused
  if (email !== null) data.partnerKey = partnerMessageKey(email);
  return newEvent('ClientErased', data, options(client, caller, client.updatedAt));
}
