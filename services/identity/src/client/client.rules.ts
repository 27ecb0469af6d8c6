// Client rules: input normalization and validation, the update patch, the GDPR erasure.
// Pure: `now` and ids come in as arguments.
import { z } from '@crm/config';
import { isUuid } from '@crm/subgraph';
import { collapseSpaces, normalizeEmail, normalizePhone } from '@crm/contact';
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

const MATRICULE_SHAPE = /^[A-Z]{2}\d{3}[A-Z]{2}$/;

/**
 * The matricule as stored and searched: "AB-123-CD" (seed: "XX-123-XX"). People type
 * "ab123cd", "AB 123 CD", "ab-123-cd": case, spaces, dots and dashes do not matter.
 */
export function normalizeMatricule(raw: string): string | null {
  const compact = raw
    .trim()
    .toUpperCase()
    .replace(/[\s\-._/]/g, '');
  if (!MATRICULE_SHAPE.test(compact)) return null;
  return `${compact.slice(0, 2)}-${compact.slice(2, 5)}-${compact.slice(5)}`;
}

const MATRICULE_MESSAGE = 'must be two letters, three digits, two letters (AB-123-CD)';

export const matriculeSchema = z.string().transform((value, ctx) => {
  const matricule = normalizeMatricule(value);
  if (matricule === null) {
    ctx.addIssue({ code: 'custom', message: MATRICULE_MESSAGE });
    return z.NEVER;
  }
  return matricule;
});

const requiredText = (max: number) =>
  z.string().transform((value, ctx) => {
    const text = collapseSpaces(value);
    if (text === null) ctx.addIssue({ code: 'custom', message: 'must not be empty' });
    else if (text.length > max)
      ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
    else return text;
    return z.NEVER;
  });

/** null, or a string that is empty once trimmed, clears the field */
const optionalText = (max: number, pattern?: { regex: RegExp; message: string }) =>
  z
    .string()
    .nullable()
    .transform((value, ctx) => {
      const text = value === null ? null : collapseSpaces(value);
      if (text === null) return null;
      if (text.length > max) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
        return z.NEVER;
      }
      if (pattern && !pattern.regex.test(text)) {
        ctx.addIssue({ code: 'custom', message: pattern.message });
        return z.NEVER;
      }
      return text;
    });

const emailField = z
  .string()
  .nullable()
  .transform((value, ctx) => {
    if (value === null || value.trim() === '') return null;
    const email = normalizeEmail(value, 100);
    if (email === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a valid e-mail address (at most 100 characters)' });
      return z.NEVER;
    }
    return email;
  });

const phoneField = z
  .string()
  .nullable()
  .transform((value, ctx) => {
    if (value === null || value.trim() === '') return null;
    const phone = normalizePhone(value);
    if (phone === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a phone number: French ("06 12 34 56 78") or international with its country code',
      });
      return z.NEVER;
    }
    return phone;
  });

const birthDateField = (now: Date) =>
  z
    .string()
    .nullable()
    .refine((value) => value === null || /^\d{4}-\d{2}-\d{2}$/.test(value), 'must be a date YYYY-MM-DD')
    .refine(
      (value) => value === null || (value >= '1900-01-01' && value <= now.toISOString().slice(0, 10)),
      'must be between 1900-01-01 and today',
    );

const postalCodeField = optionalText(10, {
  regex: /^[0-9A-Za-z][0-9A-Za-z -]*$/,
  message: 'must be letters, digits, spaces or dashes',
});

function contactFields(now: Date) {
  return {
    civility: optionalText(10).optional(),
    birthDate: birthDateField(now).optional(),
    email: emailField.optional(),
    phone: phoneField.optional(),
    address: optionalText(255).optional(),
    postalCode: postalCodeField.optional(),
    city: optionalText(100).optional(),
  };
}

export const registerClientSchema = (now: Date) =>
  z
    .object({
      matricule: matriculeSchema,
      lastName: requiredText(100),
      firstName: requiredText(100),
      ...contactFields(now),
    })
    .strict();
export type RegisterClient = z.infer<ReturnType<typeof registerClientSchema>>;

/** A field absent from the input is left as it is; null clears an optional field. */
export const updateClientSchema = (now: Date) =>
  z
    .object({
      id: z.string().refine(isUuid, 'must be a UUID'),
      lastName: requiredText(100).optional(),
      firstName: requiredText(100).optional(),
      status: z
        .enum(['ACTIVE', 'INACTIVE'], { message: 'must be ACTIVE or INACTIVE (erasure is eraseClient)' })
        .optional(),
      ...contactFields(now),
    })
    .strict();
export type UpdateClient = z.infer<ReturnType<typeof updateClientSchema>>;

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
