// Euro amounts as exact cents: DECIMAL(12,2) strings in, integers out, never a float.
import { reimbursementError } from '../errors';

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Exact euro cents of a DECIMAL(12,2) string ("1234.5" -> 123450). pg returns DECIMAL as
 * strings; going through a float would lose cents, so the digits are read as digits.
 */
export function toCents(decimal: string): number {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) throw reimbursementError('REIMBURSEMENT.INVALID_AMOUNT', `not an amount: "${decimal}"`);
  const [, sign, units, fraction = ''] = match;
  const cents = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

/** The DECIMAL(12,2) string of an amount in cents (123450 -> "1234.50"). */
export function fromCents(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
