// The personal code (PIN) a client may set for the bot: what a person types, read as the code
// it means, and the codes refused because anyone would try them first. Pure: the hash is
// pin.hash.ts, the birth date comes in as an argument.

export const PIN_MIN_DIGITS = 4;

/**
 * What the audit record of setClientPin keeps (docs/security.md, Audit log): never the code,
 * not even sealed, nor its hash; only whether the client had one before and has one after.
 * Null for both would not tell a code set from one removed, nor a change from nothing.
 */
export type PinPresence = 'set' | 'none';
export const pinPresence = (has: boolean): PinPresence => (has ? 'set' : 'none');
export const PIN_MAX_DIGITS = 6;

/**
 * The code as stored and compared: ASCII digits only. People type "12 34", "12.34", "12-34" or
 * full-width digits: NFKC folds the latter, spaces, dots, dashes, underscores and slashes go.
 * Null when what remains is not 4 to 6 digits.
 */
export function normalizePin(raw: string): string | null {
  const compact = raw.normalize('NFKC').replace(/[\s.\-_/]/g, '');
  const shape = new RegExp(`^[0-9]{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`);
  return shape.test(compact) ? compact : null;
}

/** 1111, 000000: one digit repeated. */
const repeated = (pin: string): boolean => /^(\d)\1+$/.test(pin);

/** 1234, 456789, 9876, 3210: each digit one more (or one less) than the one before. */
function straightRun(pin: string): boolean {
  const steps = [...pin].slice(1).map((d, i) => Number(d) - Number(pin[i]));
  return steps.every((s) => s === 1) || steps.every((s) => s === -1);
}

/** 1212, 123123, 2580: patterns people pick (pairs and triples repeated, the keypad's column). */
function pattern(pin: string): boolean {
  const half = pin.length / 2;
  const repeatsHalf = Number.isInteger(half) && pin.slice(0, half) === pin.slice(half);
  const repeatsPair = pin.length % 2 === 0 && pin === pin.slice(0, 2).repeat(pin.length / 2);
  return repeatsHalf || repeatsPair || ['2580', '0852', '147258', '258369'].includes(pin);
}

/** The forms of a birth date a code might be made of: DDMM, MMDD, YYYY, DDMMYY, YYMMDD, MMYYYY... */
export function birthDateForms(birthDate: string | null): string[] {
  if (!birthDate) return [];
  const [yyyy = '', mm = '', dd = ''] = birthDate.split('-');
  const yy = yyyy.slice(2);
  return [
    `${dd}${mm}`,
    `${mm}${dd}`,
    yyyy,
    `${dd}${mm}${yy}`,
    `${yy}${mm}${dd}`,
    `${mm}${dd}${yy}`,
    `${mm}${yyyy}`,
    `${dd}${mm}${yyyy}`.slice(0, 6),
  ];
}

/**
 * Why a code is refused, or null when it may be used: the few codes an attacker tries first
 * (repeated digits, straight runs, simple patterns) and the client's own birth date, which
 * anyone who knows him can guess. The bot allows 5 tries per lock (docs/security.md).
 */
export function weakPinReason(pin: string, birthDate: string | null): string | null {
  if (repeated(pin)) return 'must not repeat one digit';
  if (straightRun(pin)) return 'must not be a run of consecutive digits';
  if (pattern(pin)) return 'must not be a repeated or common pattern';
  if (birthDateForms(birthDate).includes(pin)) return 'must not be made of the birth date';
  return null;
}
