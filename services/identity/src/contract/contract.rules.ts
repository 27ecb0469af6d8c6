// Contract rules: input normalization and validation, defaults, the contract number.
// Pure: `now`, ids and randomness come in as arguments.
import { isUuid } from '@crm/subgraph';
import { z } from '@crm/config';
import { collapseSpaces } from '@crm/contact';
import { utcDate } from '../shared/command';
import type { ContractStatus, ContractType } from './contract.mapping';

export interface ContractState {
  id: string;
  clientId: string;
  contractNumber: string;
  type: ContractType | null;
  subscribedOn: string | null;
  expiresOn: string | null;
  status: ContractStatus | null;
  coverages: string[] | null;
  thirdPartyDeductible: string | null;
  collisionDeductible: string | null;
  propertyDamageCover: boolean | null;
  thirdPartyCover: boolean | null;
  civilLiabilityCover: boolean | null;
  createdAt: Date;
}

const CONTRACT_NUMBER = /^[A-Z0-9][A-Z0-9\-/.]{2,49}$/;

/** Contract numbers are compared as typed by advisors and read back by the bot: upper case, no spaces. */
export function normalizeContractNumber(raw: string): string | null {
  const value = raw.trim().toUpperCase().replace(/\s+/g, '');
  return CONTRACT_NUMBER.test(value) ? value : null;
}

// unambiguous when read aloud or copied by hand: no 0/O, 1/I
const NUMBER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** "CT-2026-7KQ2MX9P": the year of issue and 8 random characters (32^8, about 10^12). */
export function generateContractNumber(now: Date, entropy: Uint8Array): string {
  if (entropy.length < 8) throw new Error('generateContractNumber needs 8 bytes of entropy');
  let suffix = '';
  for (let i = 0; i < 8; i += 1) suffix += NUMBER_ALPHABET[entropy[i]! % NUMBER_ALPHABET.length];
  return `CT-${now.getUTCFullYear()}-${suffix}`;
}

// DECIMAL(10,2): eight digits before the point
const DEDUCTIBLE = /^\d{1,8}(\.\d{1,2})?$/;
/** "300.5" -> "300.50": the event carries what the DECIMAL(10,2) column gives back */
export function canonicalAmount(value: string): string {
  const [units = '0', cents = ''] = value.split('.');
  return `${BigInt(units).toString()}.${cents.padEnd(2, '0')}`;
}

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

/** A new contract: active and subscribed today unless said otherwise, no coverage unless listed. */
export function newContract(
  input: IssueContract,
  ids: { id: string; contractNumber: string },
  now: Date,
): ContractState {
  return {
    id: ids.id,
    clientId: input.clientId.toLowerCase(),
    contractNumber: ids.contractNumber,
    type: input.type,
    subscribedOn: input.subscribedOn ?? utcDate(now),
    expiresOn: input.expiresOn ?? null,
    status: input.status ?? 'ACTIVE',
    coverages: input.coverages ?? [],
    thirdPartyDeductible: input.thirdPartyDeductible ?? null,
    collisionDeductible: input.collisionDeductible ?? null,
    propertyDamageCover: input.propertyDamageCover ?? null,
    thirdPartyCover: input.thirdPartyCover ?? null,
    civilLiabilityCover: input.civilLiabilityCover ?? null,
    createdAt: now,
  };
}
