// French formatting shared by the console and the chat: dates in Europe/Paris, durations
// ("3 min 12 s"), euros ("1 250,50 €") and the amounts a French user types ("1 250,50").

const TIME_ZONE = 'Europe/Paris';

const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: TIME_ZONE,
  dateStyle: 'short',
  timeStyle: 'short',
});
const dateFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: TIME_ZONE, dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: TIME_ZONE, timeStyle: 'short' });
const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** 05/12/2026 13:04 (Paris time); an empty string for no date. */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value == null) return '';
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : String(value);
}

/** 5 déc. 2026; a plain date (YYYY-MM-DD) is read as that day, not shifted by the time zone. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value;
  const date = toDate(plain);
  return date ? dateFormat.format(date) : value;
}

/**
 * When a claim occurred: "07/12/2026 08:00" (Paris time) when its hour is known, else the day
 * alone, said so: "7 déc. 2026 (heure non précisée)". A day told without its hour is recorded at
 * its start, UTC; its Paris time (01:00 or 02:00) was never said by anyone.
 */
export function formatOccurredAt(occurredAt: string | null | undefined, timeKnown: boolean): string {
  if (!occurredAt) return '';
  if (timeKnown) return formatDateTime(occurredAt);
  return `${formatDate(occurredAt.slice(0, 10))} (heure non précisée)`;
}

/** 13:04 (Paris time). */
export function formatTime(value: string | number | Date | null | undefined): string {
  if (value == null) return '';
  const date = toDate(value);
  return date ? timeFormat.format(date) : '';
}

/** 12 s, 3 min 12 s, 1 h 05 min, 2 j 3 h. Negative durations read as 0 s. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} j ${hours % 24} h`;
}

/** Seconds from `since` to `now` (ms), 0 for an unreadable date. */
export function secondsSince(since: string | null | undefined, now: number): number {
  if (!since) return 0;
  const t = new Date(since).getTime();
  return Number.isNaN(t) ? 0 : Math.max(0, (now - t) / 1000);
}

/** "1 250,50 €" from a Decimal string or a number; an empty string for none. */
export function formatEuros(value: string | number | null | undefined): string {
  if (value == null || value === '') return '';
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? euroFormat.format(n) : String(value);
}

/**
 * What a French user types as an amount ("1 250,50", "1250.50", "1.250,50 €") as a Decimal
 * string with two decimals ("1250.50"); null when it is not an amount.
 */
export function parseEuroAmount(input: string): string | null {
  let text = input.replace(/[\s\u00a0\u202f€]/g, '');
  if (!text) return null;
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // the last separator is the decimal one, the others group thousands
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    text = text.split(group).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    if (text.indexOf(',') !== lastComma) return null;
    text = text.replace(',', '.');
  } else if (lastDot >= 0 && text.indexOf('.') !== lastDot) {
    // 1.250.000: dots group thousands
    text = text.split('.').join('');
  }
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  const [units, cents = ''] = text.split('.');
  return `${BigInt(units!).toString()}.${cents.padEnd(2, '0')}`;
}
