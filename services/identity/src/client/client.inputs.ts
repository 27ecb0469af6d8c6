// Client inputs: the GraphQL inputs parsed and normalized once, at the resolver edge, into the
// commands the service takes. People's spellings are accepted (matricule, phone, e-mail).
import { z } from '@crm/config';
import { isUuid } from '@crm/subgraph';
import { collapseSpaces, normalizeEmail, normalizePhone } from '@crm/contact';

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
      /** the updatedAt the caller read: the change applies only if it still holds (WRITE.STALE) */
      expectedUpdatedAt: z.date('must be a DateTime').nullish(),
      ...contactFields(now),
    })
    .strict();
export type UpdateClient = z.infer<ReturnType<typeof updateClientSchema>>;
