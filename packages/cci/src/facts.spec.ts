import { CciError } from './errors';
import { PRIOR_CLAIMS_WINDOW_DAYS, daysSinceEvent, priorClaimsLast12Months } from './facts';

describe('priorClaimsLast12Months (one rule for the bot and the claims service)', () => {
  it('counts the other claims of the 365 days up to and including the day of the claim', () => {
    expect(PRIOR_CLAIMS_WINDOW_DAYS).toBe(365);
    expect(
      priorClaimsLast12Months('2026-12-07', [
        '2026-12-07', // the same day, whatever its hour: "hier soir" has none
        '2026-06-01',
        '2025-12-07', // 365 days before: in
        '2025-12-06', // 366 days before: out
        '2026-12-08', // after the claim: out
      ]),
    ).toBe(3);
  });

  it('counts nothing without other claims, and leaves out a day that does not read', () => {
    expect(priorClaimsLast12Months('2026-02-28', [])).toBe(0);
    expect(priorClaimsLast12Months('2026-02-28', ['2026-02-30x', '', '2026-02-27'])).toBe(1);
  });

  it('refuses a claim whose own day does not read', () => {
    expect(() => priorClaimsLast12Months('', ['2026-01-01'])).toThrow(CciError);
    expect(() => priorClaimsLast12Months('2026-12-07T00:00:00Z', [])).toThrow(/CCI.INVALID_FACTS/);
  });
});

describe('daysSinceEvent (one rule for the bot and the claims service)', () => {
  it('counts whole days from the day of the event to the day of the declaration, never below 0', () => {
    expect(daysSinceEvent('2026-11-19', '2026-11-24')).toBe(5);
    expect(daysSinceEvent('2026-02-28', '2026-03-01')).toBe(1);
    expect(daysSinceEvent('2026-11-24', '2026-11-24')).toBe(0);
    expect(daysSinceEvent('2026-11-25', '2026-11-24')).toBe(0);
    expect(() => daysSinceEvent('2026-11-19', '24/11/2026')).toThrow(/CCI.INVALID_FACTS/);
  });
});
