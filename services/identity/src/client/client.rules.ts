// Client rules: the new client, the update patch, the GDPR erasure (inputs: client.inputs.ts).
// Pure: `now` and ids come in as arguments.
import type { RegisterClient, UpdateClient } from './client.inputs';
import type { ClientStatus } from './client.mapping';
import { identityError } from '../errors';

/** What a client row holds (the entity's properties). */
export interface ClientState {
  id: string;
  matricule: string;
  civility: string | null;
  lastName: string;
  firstName: string;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  createdAt: Date;
  updatedAt: Date;
  status: ClientStatus;
}

export function newClient(input: RegisterClient, id: string, now: Date): ClientState {
  return {
    id,
    matricule: input.matricule,
    civility: input.civility ?? null,
    lastName: input.lastName,
    firstName: input.firstName,
    birthDate: input.birthDate ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    address: input.address ?? null,
    postalCode: input.postalCode ?? null,
    city: input.city ?? null,
    createdAt: now,
    updatedAt: now,
    status: 'ACTIVE',
  };
}

export const CLIENT_PATCHABLE_FIELDS = [
  'civility',
  'lastName',
  'firstName',
  'birthDate',
  'email',
  'phone',
  'address',
  'postalCode',
  'city',
  'status',
] as const;
export type ClientField = (typeof CLIENT_PATCHABLE_FIELDS)[number];

export function assertNotErased(client: ClientState): void {
  if (client.status === 'ERASED') {
    throw identityError('CLIENT.ERASED', `client ${client.id} was erased (GDPR)`, { id: client.id });
  }
}

/** The client after the patch and which fields really changed (none: nothing to write). */
export function applyClientPatch(
  current: ClientState,
  patch: Omit<UpdateClient, 'id'>,
  now: Date,
): { next: ClientState; changedFields: ClientField[] } {
  assertNotErased(current);
  const next: ClientState = { ...current };
  const changedFields: ClientField[] = [];
  for (const field of CLIENT_PATCHABLE_FIELDS) {
    if (!(field in patch)) continue;
    const value = patch[field];
    if (value === undefined || value === current[field]) continue;
    (next as unknown as Record<ClientField, unknown>)[field] = value;
    changedFields.push(field);
  }
  if (changedFields.length > 0) next.updatedAt = now;
  return { next, changedFields };
}

/**
 * GDPR erasure (seed: DELETE /clients/:id "Supprimer client (RGPD)"). The row stays so that
 * contracts kept for legal retention and other services' references still point somewhere,
 * but it holds no personal data: names become a fixed marker, contact and civil fields are
 * emptied, and the matricule (which identifies the person) becomes a pseudonym derived from
 * the random row id.
 */
export const ERASED_NAME = '[effacé]';

export function erasedMatricule(id: string): string {
  return `ERASED-${id.replace(/-/g, '').slice(0, 13).toUpperCase()}`;
}

export function eraseClient(current: ClientState, now: Date): ClientState {
  return {
    id: current.id,
    matricule: erasedMatricule(current.id),
    civility: null,
    lastName: ERASED_NAME,
    firstName: ERASED_NAME,
    birthDate: null,
    email: null,
    phone: null,
    address: null,
    postalCode: null,
    city: null,
    createdAt: current.createdAt,
    updatedAt: now,
    status: 'ERASED',
  };
}
