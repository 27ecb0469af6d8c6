// Calendar arithmetic in the insurer's time zone. Claims are dated in French local time
// (Europe/Paris), whatever the server's zone; the engine never reads the system clock, it is
// given `now` with every turn.

export const TIME_ZONE = 'Europe/Paris';

export interface LocalDate {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number; // 1..31
}

export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
}

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Wall-clock date and time in Paris of an instant. */
export function parisLocal(instant: Date): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

/** The UTC instant of a Paris wall-clock time (the first one, on the autumn overlap). */
export function parisToInstant(local: LocalDateTime): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = asUtc;
  for (let i = 0; i < 2; i += 1) {
    const seen = parisLocal(new Date(guess));
    const seenUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    guess -= seenUtc - asUtc;
  }
  return new Date(guess);
}

const toDayNumber = (d: LocalDate) => Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);

const fromDayNumber = (n: number): LocalDate => {
  const date = new Date(n * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

export const addDays = (d: LocalDate, days: number): LocalDate => fromDayNumber(toDayNumber(d) + days);

export const daysBetween = (from: LocalDate, to: LocalDate): number => toDayNumber(to) - toDayNumber(from);

/** 0 = Monday .. 6 = Sunday (the French week starts on Monday). */
export const weekdayOf = (d: LocalDate): number => (((toDayNumber(d) + 3) % 7) + 7) % 7;

export const isValidDate = (d: LocalDate): boolean => {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return false;
  const back = fromDayNumber(toDayNumber(d));
  return back.year === d.year && back.month === d.month && back.day === d.day;
};

export const compareDates = (a: LocalDate, b: LocalDate): number => toDayNumber(a) - toDayNumber(b);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const formatDate = (d: LocalDate): string => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

export const formatTime = (hour: number, minute: number): string => `${pad(hour)}:${pad(minute)}`;
