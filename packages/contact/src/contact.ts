// Seed 2's identity keys ("leads": e-mail in lower case as the key, phone in E.164, the full
// name normalized), shared because two services must compute the same lead key: claims when
// it ingests partner events, identity when it upserts the lead from them. Pure: a value in,
// the canonical value out, or null when the input cannot be read as what it claims to be.

// The same grammar as ajv-formats' "email" (the event schemas' format), so that an address we
// accept can never make the outbox refuse the event that carries it.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * The longest e-mail a lead can have: it is the subject (Kafka key) of the lead's events,
 * which the event envelope limits to 200 characters.
 */
export const MAX_EMAIL_LENGTH = 200;

/** Trimmed, lower-cased e-mail (seed 2: leads are keyed by the lower-case e-mail), or null. */
export function normalizeEmail(raw: string, maxLength = MAX_EMAIL_LENGTH): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length === 0 || email.length > maxLength || !EMAIL.test(email)) return null;
  return email;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A phone number in E.164 (seed 2: "+33..."). French national forms are read as French:
 * "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78",
 * "0033 6 12 34 56 78", "33612345678". Other international numbers must come with their
 * country code ("+44 ...", "0044 ..."). Returns null for anything else.
 */
export function normalizePhone(raw: string): string | null {
  const compact = raw
    .trim()
    .replace(/\(0\)/g, '')
    .replace(/[\s.\-()/\u00a0]/g, '');
  let digits: string;
  if (/^\+\d+$/.test(compact)) digits = compact.slice(1);
  else if (/^00\d+$/.test(compact)) digits = compact.slice(2);
  else if (/^0[1-9]\d{8}$/.test(compact)) digits = `33${compact.slice(1)}`;
  else if (/^33[1-9]\d{8}$/.test(compact)) digits = compact;
  else return null;
  if (digits.startsWith('33')) {
    let national = digits.slice(2);
    // "+33 06 ..." keeps the national trunk 0 by mistake
    if (/^0[1-9]\d{8}$/.test(national)) national = national.slice(1);
    if (!/^[1-9]\d{8}$/.test(national)) return null;
    digits = `33${national}`;
  }
  const phone = `+${digits}`;
  return E164.test(phone) ? phone : null;
}

/** Trimmed, inner runs of white space collapsed to one space; null when nothing is left. */
export function collapseSpaces(raw: string): string | null {
  const text = raw.trim().replace(/\s+/g, ' ');
  return text.length > 0 ? text : null;
}

/**
 * A person's full name as seed 2 keeps it ("nom complet normalisé"): trimmed, spaces
 * collapsed, each word capitalized, including the parts of compound names
 * ("jean-pierre d'ARTAGNAN" -> "Jean-Pierre D'Artagnan").
 */
export function normalizePersonName(raw: string): string | null {
  // NFC first: "é" typed as e + combining accent and as one letter must give the same name
  const text = collapseSpaces(raw.normalize('NFC'));
  if (text === null) return null;
  return text
    .toLocaleLowerCase('fr-FR')
    .replace(
      /(^|[\s\-'\u2019])(\p{L})/gu,
      (_m, sep: string, letter: string) => sep + letter.toLocaleUpperCase('fr-FR'),
    );
}
