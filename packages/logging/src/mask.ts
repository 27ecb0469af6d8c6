// Masking by value: personal identifiers found anywhere in a string (a message, an error text, a
// stack, a driver's detail, a kafkajs entry) are masked, keeping the last 2 characters so that
// support can still match them. Key redaction (index.ts) stays; this catches what a key cannot.
// UUIDs, ISO dates, claim numbers (SIN-2026-000001), ports and durations are left alone: every
// pattern refuses to start or end next to a letter, digit or dash, and cards/IBANs are checksummed.

/** Keeps the last characters of an identifier so that support can still match it. */
export function maskIdentifier(value: string, keep = 2): string {
  if (value.length <= keep) return '*'.repeat(value.length);
  return `${'*'.repeat(Math.max(3, value.length - keep))}${value.slice(-keep)}`;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// AB-123-CD, AB 123 CD, AB.123.CD, AB123CD, ab123cd (identity's normalizeMatricule accepts these)
const MATRICULE = /(?<![\w-])(?:[A-Z]{2}[-. ]?\d{3}[-. ]?[A-Z]{2}|[a-z]{2}\d{3}[a-z]{2})(?![\w-])/g;
// IBAN: compact or in groups of 4; validated by mod-97 below
const IBAN = /(?<![\w-])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![\w-])/g;
// cards: 13-19 digits, spaces or dashes between, issuer digit 2-6; validated by Luhn below
const CARD = /(?<![\w-])[2-6]\d(?:[ -]?\d){11,17}(?![\w-])/g;
// phones: French national (06 12 34 56 78, 06.12.34.56.78, 0612345678), +33 / 0033 forms,
// and other international numbers written with a leading + or 00
const PHONE =
  /(?<![\w+-])(?:(?:\+|00)33[ .-]?(?:\(0\)[ .-]?)?[1-9](?:[ .-]?\d{2}){4}|0[1-9](?:[ .-]?\d{2}){4}|(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\d){6,12})(?![\w-])/g;

const FAST_PATH = /[\d@]/;

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function ibanValid(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34) return false;
  const moved = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const d of value) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

function maskIban(match: string): string {
  if (ibanValid(match.replace(/ /g, ''))) return maskIdentifier(match);
  // a group of 4 read past the end ("… 189 EUR"): try without the last group
  const cut = match.lastIndexOf(' ');
  if (cut > 0 && ibanValid(match.slice(0, cut).replace(/ /g, ''))) {
    return maskIdentifier(match.slice(0, cut)) + match.slice(cut);
  }
  return match;
}

/** Masks e-mail addresses, IBANs, card numbers, phone numbers and matricules in a string. */
export function maskText(text: string): string {
  if (!FAST_PATH.test(text)) return text;
  let out = text;
  if (out.includes('@')) out = out.replace(EMAIL, (m) => maskIdentifier(m));
  out = out.replace(IBAN, maskIban);
  out = out.replace(CARD, (m) => (luhn(m.replace(/[ -]/g, '')) ? maskIdentifier(m) : m));
  out = out.replace(PHONE, (m) => maskIdentifier(m));
  out = out.replace(MATRICULE, (m) => maskIdentifier(m));
  return out;
}

/** Error fields never logged: a query's bound values (typeorm QueryFailedError, pg). */
const DROPPED_ERROR_KEYS = new Set(['parameters', 'query', 'driverError']);

/** The loggable form of an error: type, message, stack, code and detail masked, parameters dropped. */
export function maskError(err: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name, message: maskText(err.message) };
  if (err.stack) out.stack = maskText(err.stack);
  for (const [key, value] of Object.entries(err)) {
    if (DROPPED_ERROR_KEYS.has(key) || key in out) continue;
    out[key] = maskValue(value, depth + 1);
  }
  const driver = (err as { driverError?: unknown }).driverError;
  if (driver && typeof driver === 'object') {
    // pg's fields that help (code, constraint, table, detail) without its copy of the parameters
    const d = driver as Record<string, unknown>;
    for (const key of ['code', 'constraint', 'table', 'column', 'detail']) {
      if (d[key] !== undefined && out[key] === undefined) out[key] = maskValue(d[key], depth + 1);
    }
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined) out.cause = maskValue(cause, depth + 1);
  return out;
}

/** Every string inside a value masked (objects and arrays walked, errors made loggable). */
export function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return maskError(value, depth);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = maskValue(v, depth + 1);
  return out;
}
