import {
  DB_PAYMENT_METHODS,
  DB_STATUSES,
  PAYMENT_METHODS,
  REIMBURSEMENT_STATUSES,
  fromCents,
  paymentMethodFromDb,
  paymentMethodToDb,
  statusFromDb,
  statusToDb,
  toCents,
} from './reimbursement.mapping';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('reimbursement mapping', () => {
  it('maps every status both ways onto the seed values', () => {
    expect(DB_STATUSES).toEqual(['en_attente', 'accepté', 'payé', 'rejeté']);
    for (const status of REIMBURSEMENT_STATUSES) expect(statusFromDb(statusToDb(status))).toBe(status);
    expect(statusToDb('PAID')).toBe('payé');
  });

  it('maps every payment method both ways onto the seed values', () => {
    expect(DB_PAYMENT_METHODS).toEqual(['virement', 'chèque']);
    for (const method of PAYMENT_METHODS) expect(paymentMethodFromDb(paymentMethodToDb(method))).toBe(method);
    expect(paymentMethodFromDb(null)).toBeNull();
  });

  it('refuses values outside the seed enumerations with a stable code', () => {
    expect(codeOf(() => statusFromDb('paid'))).toBe('REIMBURSEMENT.CORRUPT_ROW');
    expect(codeOf(() => paymentMethodFromDb('cash'))).toBe('REIMBURSEMENT.CORRUPT_ROW');
  });

  it('converts DECIMAL strings to exact cents and back', () => {
    expect(toCents('1234.5')).toBe(123450);
    expect(toCents('1234.56')).toBe(123456);
    expect(toCents('0.07')).toBe(7);
    expect(toCents('12')).toBe(1200);
    expect(toCents('9999999999.99')).toBe(999999999999);
    expect(toCents('-3.10')).toBe(-310);
    // 0.1 + 0.2 style float drift must not appear
    expect(toCents('0.29')).toBe(29);
    expect(fromCents(123450)).toBe('1234.50');
    expect(fromCents(7)).toBe('0.07');
    expect(fromCents(0)).toBe('0.00');
    expect(fromCents(-310)).toBe('-3.10');
    expect(codeOf(() => toCents('12.345'))).toBe('REIMBURSEMENT.INVALID_AMOUNT');
  });
});
