// When a claim occurred, as the console's claim file shows it (web/src/shared/format.ts).
import { formatOccurredAt } from '../src/shared/format';

const normalize = (s: string) => s.replace(/\s/g, ' ');

describe('formatOccurredAt', () => {
  it('shows a known hour in Paris time', () => {
    expect(normalize(formatOccurredAt('2026-12-07T07:30:00.000Z', true))).toBe('07/12/2026 08:30');
  });

  it('shows a day told without its hour as the day alone, not as 01:00 Paris time', () => {
    const shown = normalize(formatOccurredAt('2026-12-07T00:00:00.000Z', false));
    expect(shown).toBe('7 déc. 2026 (heure non précisée)');
    expect(shown).not.toMatch(/01:00/);
    // summer: the day's start is 02:00 in Paris, still the same day
    expect(normalize(formatOccurredAt('2026-07-14T00:00:00.000Z', false))).toBe(
      '14 juil. 2026 (heure non précisée)',
    );
  });

  it('shows nothing for no date', () => {
    expect(formatOccurredAt(null, true)).toBe('');
  });
});
