// Seed 2, section 2: a lead is keyed by its lower-case e-mail, its phone is E.164 and its
// name is "normalisé". Pure rules: partners send whatever their forms captured.
// (services/identity has similar rules; services may not share code, see the README.)

export interface LeadIdentity {
  email: string;
  phone: string | null;
  name: string | null;
}

/** Trimmed and lower-cased: the lead key must not depend on how a form capitalised it. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * E.164 (`+` then 8 to 15 digits, no leading 0 after the plus). Separators (spaces, dots,
 * dashes, parentheses) are dropped; `00` is the international prefix; a national number
 * (leading 0, as French forms capture them) takes `defaultCountryCode`. Anything else is
 * not a phone number: null rather than a wrong key.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountryCode = '33'): string | null {
  if (raw == null) return null;
  const compact = raw.trim().replace(/[\s.\-()/]/g, '');
  if (compact === '') return null;
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (compact.startsWith('0')) digits = `${defaultCountryCode}${compact.slice(1)}`;
  else return null;
  // a trunk 0 written after the country code, "+33 (0)6 ...", is not dialled internationally
  if (digits.startsWith(`${defaultCountryCode}0`))
    digits = `${defaultCountryCode}${digits.slice(defaultCountryCode.length + 1)}`;
  return /^[1-9][0-9]{7,14}$/.test(digits) ? `+${digits}` : null;
}

/**
 * Whitespace collapsed, Unicode NFC, each word capitalised after a space, hyphen or
 * apostrophe ("jean-pierre  DUPONT" -> "Jean-Pierre Dupont"). Empty -> null.
 */
export function normalizeName(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const collapsed = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (collapsed === '') return null;
  return collapsed
    .toLocaleLowerCase('fr-FR')
    .replace(
      /(^|[\s\-'’])(\p{L})/gu,
      (_m, sep: string, letter: string) => `${sep}${letter.toLocaleUpperCase('fr-FR')}`,
    );
}

export function normalizeLead(raw: {
  email: string;
  phone?: string | null;
  name?: string | null;
}): LeadIdentity {
  return {
    email: normalizeEmail(raw.email),
    phone: normalizePhone(raw.phone),
    name: normalizeName(raw.name),
  };
}
