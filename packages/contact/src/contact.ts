// Seed 2's identity keys ("leads": e-mail in lower case as the key, phone in E.164, the full
// name normalized), shared because two services must compute the same lead key: claims when
// it ingests partner events, identity when it upserts the lead from them. Pure: a value in,
// the canonical value out, or null when the input cannot be read as what it claims to be.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

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

/** A region code of libphonenumber's metadata (ISO 3166-1 alpha-2: FR, BE, TH...). */
export type PhoneRegion = CountryCode;

/** The region a national number ("06 12 34 56 78") is read in when nobody says otherwise. */
export const DEFAULT_PHONE_REGION: PhoneRegion = 'FR';

/** Whether `code` is a region the phone metadata knows ("FR" yes, "XX" no). */
export function isPhoneRegion(code: string): code is PhoneRegion {
  return isSupportedCountry(code);
}

// nobody types a phone number longer than this; a longer text is not one (and is not parsed)
const MAX_PHONE_INPUT = 64;

/**
 * A phone number in E.164 (seed 2: "+33..."), read by libphonenumber (Google's metadata).
 * International spellings carry their country ("+44 20 7946 0958", "0044 ...", "+33 (0)6 ..."),
 * national ones are read in `region` ("06 12 34 56 78", "06.12.34.56.78", "6 12 34 56 78" in FR).
 * A number must have a length its country uses (libphonenumber's "possible"), not belong to a
 * range the metadata knows as assigned ("valid"): the metadata lags behind the numbering plans,
 * and a policyholder's new number must never be refused for it. An extension is dropped (E.164
 * has none). Returns null for anything else.
 */
export function normalizePhone(raw: string, region: PhoneRegion = DEFAULT_PHONE_REGION): string | null {
  if (raw.length > MAX_PHONE_INPUT) return null;
  const parsed = parsePhoneNumberFromString(raw, region);
  return parsed?.isPossible() ? parsed.number : null;
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
