// Contract inputs: issueContract's input parsed and normalized once, at the resolver edge.
import { isUuid } from '@crm/subgraph';
import { z } from '@crm/config';
import { collapseSpaces } from '@crm/contact';
import { utcDate } from '../shared/command';

const CONTRACT_NUMBER = /^[A-Z0-9][A-Z0-9\-/.]{2,49}$/;

/** Contract numbers are compared as typed by advisors and read back by the bot: upper case, no spaces. */
export function normalizeContractNumber(raw: string): string | null {
  const value = raw.trim().toUpperCase().replace(/\s+/g, '');
  return CONTRACT_NUMBER.test(value) ? value : null;
}

/** "300.5" -> "300.50": the event carries what the DECIMAL(10,2) column gives back */
export function canonicalAmount(value: string): string {
  const [units = '0', cents = ''] = value.split('.');
  return `${BigInt(units).toString()}.${cents.padEnd(2, '0')}`;
}

// DECIMAL(10,2): eight digits before the point
const DEDUCTIBLE = /^\d{1,8}(\.\d{1,2})?$/;

const deductibleField = z
  .string()
  .nullable()
  .refine(
    (v) => v === null || DEDUCTIBLE.test(v),
    'must be a non-negative amount in euros, at most 99999999.99',
  )
  .transform((v) => (v === null ? null : canonicalAmount(v)))
  .optional();

const dateField = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

const coveragesField = z
  .array(z.string())
  .max(50, 'at most 50 coverages')
  .transform((values, ctx) => {
    const out: string[] = [];
    values.forEach((value, i) => {
      const text = collapseSpaces(value);
      if (text === null || text.length > 100)
        ctx.addIssue({ code: 'custom', path: [i], message: 'must be 1 to 100 characters' });
      else if (!out.includes(text)) out.push(text);
    });
    return out;
  });

export const issueContractSchema = (now: Date) =>
  z
    .object({
      clientId: z.string().refine(isUuid, 'must be a UUID'),
      contractNumber: z
        .string()
        .nullable()
        .transform((value, ctx) => {
          if (value === null || value.trim() === '') return null;
          const number = normalizeContractNumber(value);
          if (number === null) {
            ctx.addIssue({
              code: 'custom',
              message: 'must be 3 to 50 letters, digits, dashes, dots or slashes',
            });
            return z.NEVER;
          }
          return number;
        })
        .optional(),
      type: z.enum(['AUTO', 'HOME', 'OTHER']),
      status: z.enum(['ACTIVE', 'SUSPENDED', 'TERMINATED']).nullable().optional(),
      subscribedOn: dateField.nullable().optional(),
      expiresOn: dateField.nullable().optional(),
      coverages: coveragesField.nullable().optional(),
      thirdPartyDeductible: deductibleField,
      collisionDeductible: deductibleField,
      propertyDamageCover: z.boolean().nullable().optional(),
      thirdPartyCover: z.boolean().nullable().optional(),
      civilLiabilityCover: z.boolean().nullable().optional(),
    })
    .strict()
    // `when`: checked even while other fields are invalid, so every problem is reported at once
    .refine((input) => input.expiresOn == null || input.expiresOn >= (input.subscribedOn ?? utcDate(now)), {
      path: ['expiresOn'],
      message: 'must not be before subscribedOn',
      when: ({ value }) => {
        const v = value as { expiresOn?: unknown; subscribedOn?: unknown };
        return (
          typeof v.expiresOn === 'string' &&
          /^\d{4}-\d{2}-\d{2}$/.test(v.expiresOn) &&
          (v.subscribedOn == null || typeof v.subscribedOn === 'string')
        );
      },
    });
export type IssueContract = z.infer<ReturnType<typeof issueContractSchema>>;
