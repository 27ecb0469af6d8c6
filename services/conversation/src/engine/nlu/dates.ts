// When did it happen? Absolute and relative French dates and times, resolved against the
// conversation's clock in Europe/Paris. The rules, documented in docs/conversation-engine.md:
// - a claim is in the past: a day and month without a year is the latest such date that is
//   not after today ("le 2 avril" said on 30 March 2026 is 2 April 2025); "le 28" alone is
//   the latest 28th not after today;
// - "lundi", "lundi dernier", "lundi passé": the latest Monday strictly before today (said on
//   a Monday, a week ago); "ce lundi": the latest Monday on or before today; "lundi de la
//   semaine dernière" / "la semaine dernière, lundi": the Monday of the previous week;
// - "il y a N jours/semaines/mois": N days, 7N days, N calendar months back; French idiom
//   "huit jours" is a week and "quinze jours" two weeks; "il y a N heures/minutes" gives a
//   date and time (computed on the instant, so across a DST change it stays right);
// - "cette nuit" / "la nuit dernière": the night that ended this morning; with a time before
//   noon it is today, otherwise (or without a time) it is dated the evening before;
// - "soir", "après-midi" move an hour below 12 to the afternoon ("hier soir vers 10h" = 22:00);
// - a time alone is today if it is not later than now, else yesterday.
import {
  addDays,
  compareDates,
  formatDate,
  formatTime,
  isValidDate,
  type LocalDate,
  parisLocal,
  weekdayOf,
} from './clock';
import { digitize } from './numbers';
import { fold } from './text';

export interface ParsedDateTime {
  /** Paris calendar date, YYYY-MM-DD. */
  readonly date: string;
  /** Paris wall-clock time HH:MM, when the text gives one. */
  readonly time?: string;
  /** True when the text gave only a time, so the date is a guess (today or yesterday). */
  readonly timeOnly?: boolean;
}

const MONTHS: Readonly<Record<string, number>> = {
  janvier: 1,
  janv: 1,
  fevrier: 2,
  fev: 2,
  fevr: 2,
  mars: 3,
  avril: 4,
  avr: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  juil: 7,
  aout: 8,
  septembre: 9,
  octobre: 10,
  oct: 10,
  novembre: 11,
  nov: 11,
  decembre: 12,
  dec: 12,
};
const MONTH_ALT = Object.keys(MONTHS).join('|');
const DAY_MONTH = new RegExp(`\\b(\\d{1,2}) (${MONTH_ALT})\\b(?: (\\d{4}))?`);

const WEEKDAYS: Readonly<Record<string, number>> = {
  lundi: 0,
  mardi: 1,
  mercredi: 2,
  jeudi: 3,
  vendredi: 4,
  samedi: 5,
  dimanche: 6,
};

interface Clock {
  readonly today: LocalDate;
  readonly hour: number;
  readonly minute: number;
  readonly instant: Date;
}

/** Prepares the text: folded, punctuation to spaces (keeping / and : inside numbers), digits. */
function prepare(text: string): string {
  const folded = fold(text)
    .replace(/\b(une )?demi[- ]heure\b/g, '30 minutes')
    // approximate quantities: "une dizaine de jours", "un peu plus d'une semaine"
    .replace(/\bune dizaine d(e |')/g, '10 ')
    .replace(/\bune quinzaine d(e |')/g, '15 ')
    .replace(/\bune vingtaine d(e |')/g, '20 ')
    .replace(/\b(un peu )?(plus|moins) d'(une|un)\b/g, '1')
    .replace(/\bun quart d'heure\b/g, '15 minutes')
    .replace(/\btrois quarts? d'heure\b/g, '45 minutes')
    .replace(/(\d)\s*h\s*(\d{2})\b/g, '$1h$2')
    .replace(/\b1er\b/g, '1')
    .replace(/\bpremier\b/g, '1')
    .replace(/'/g, ' ')
    .replace(/(\d)-(\d)/g, '$1/$2')
    .replace(/-/g, ' ')
    .replace(/[^a-z0-9/: ]+/g, ' ')
    .replace(/\s+/g, ' ');
  return digitize(folded).replace(
    / (\d+) heures? (\d{1,2}) (?!jours?|semaines?|mois|ans?|minutes?)/g,
    ' $1h$2 ',
  );
}

/**
 * "la nuit de vendredi", "dans la nuit de dimanche à lundi": the night is dated by its
 * evening, the first day said (the rule of "cette nuit").
 */
const nights = (t: string): string =>
  t.replace(
    /\b(?:dans |pendant )?la nuit (?:de|du) (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?: (?:a|au) (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche))?\b/g,
    ' $1 ',
  );

/** Latest date with that day and month not after today (claims are in the past). */
function latestPast(today: LocalDate, month: number, day: number): LocalDate | null {
  for (const year of [today.year, today.year - 1]) {
    const candidate = { year, month, day };
    if (isValidDate(candidate) && compareDates(candidate, today) <= 0) return candidate;
  }
  return null;
}

function normalizeYear(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return raw.length <= 2 ? 2000 + n : n;
}

function subtractMonths(d: LocalDate, months: number): LocalDate {
  const index = d.year * 12 + (d.month - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  let day = d.day;
  while (!isValidDate({ year, month, day })) day -= 1;
  return { year, month, day };
}

interface DatePart {
  readonly date: LocalDate;
  /** Set when the expression fixes the time too ("il y a deux heures"). */
  readonly time?: { hour: number; minute: number };
  readonly night?: boolean;
}

function findDate(t: string, clock: Clock): { part: DatePart; rest: string } | null {
  const { today } = clock;
  let m: RegExpMatchArray | null;

  m = /\b(\d{4})\/(\d{1,2})\/(\d{1,2})\b/.exec(t);
  if (m) {
    const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (isValidDate(d)) return { part: { date: d }, rest: t.replace(m[0], ' ') };
  }

  m = /\b(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?\b/.exec(t);
  if (m) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    const year = normalizeYear(m[3]);
    const d = year === undefined ? latestPast(today, month, day) : { year, month, day };
    if (d && isValidDate(d)) return { part: { date: d }, rest: t.replace(m[0], ' ') };
  }

  m = DAY_MONTH.exec(t);
  if (m) {
    const day = Number(m[1]);
    const month = MONTHS[m[2] ?? ''] ?? 0;
    const d = m[3] ? { year: Number(m[3]), month, day } : latestPast(today, month, day);
    if (d && isValidDate(d)) return { part: { date: d }, rest: t.replace(m[0], ' ') };
  }

  m =
    /\b(le jour de l an|le nouvel an|nouvel an|jour de l an|(le )?(jour de )?noel|(la )?saint sylvestre|(le )?reveillon( du 31)?)\b/.exec(
      t,
    );
  if (m) {
    const christmas = /noel/.test(m[0]);
    const eve = /sylvestre|reveillon/.test(m[0]);
    const d = latestPast(today, christmas || eve ? 12 : 1, christmas ? 25 : eve ? 31 : 1);
    if (d) return { part: { date: d }, rest: t.replace(m[0], ' ') };
  }

  m = /\bavant hier\b/.exec(t);
  if (m) return { part: { date: addDays(today, -2) }, rest: t.replace(m[0], ' ') };

  m = /\b(hier|la veille)\b/.exec(t);
  if (m) return { part: { date: addDays(today, -1) }, rest: t.replace(m[0], ' ') };

  m =
    /\b(aujourd hui|ce matin|cet apres midi|ce midi|ce soir|tout a l heure|tantot|a l instant|ce jour)\b/.exec(
      t,
    );
  if (m) return { part: { date: today }, rest: t.replace(m[0], ' ') };

  // "cette nuit" is anchored to now; "pendant la nuit" alone says no which night (asked)
  m = /\b(cette nuit|la nuit derniere|cette nuit derniere)\b/.exec(t);
  if (m) return { part: { date: addDays(today, -1), night: true }, rest: t.replace(m[0], ' ') };

  m =
    /\b(?:il y a|ca fait|cela fait|voila|depuis) (?:environ |a peu pres |presque |deja )?(\d+|quelques) (minutes?|heures?|jours?|semaines?|mois|ans?)\b/.exec(
      t,
    );
  if (m) {
    const n = m[1] === 'quelques' ? 3 : Number(m[1]);
    const unit = m[2] ?? '';
    const rest = t.replace(m[0], ' ');
    if (unit.startsWith('minute') || unit.startsWith('heure')) {
      const ms = n * (unit.startsWith('minute') ? 60_000 : 3_600_000);
      const local = parisLocal(new Date(clock.instant.getTime() - ms));
      return { part: { date: local, time: { hour: local.hour, minute: local.minute } }, rest };
    }
    if (unit.startsWith('jour')) {
      // "huit jours" and "quinze jours" are the French idioms for one and two weeks
      const days = n === 8 ? 7 : n === 15 ? 14 : n;
      return { part: { date: addDays(today, -days) }, rest };
    }
    if (unit.startsWith('semaine')) return { part: { date: addDays(today, -7 * n) }, rest };
    if (unit === 'mois') return { part: { date: subtractMonths(today, n) }, rest };
    return { part: { date: subtractMonths(today, 12 * n) }, rest };
  }

  m =
    /\b(ce |cette semaine |la semaine derniere |semaine derniere )?(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)( dernier| passe| de la semaine derniere| de la semaine passee)?(?: (\d{1,2})\b(?! ?h))?/.exec(
      t,
    );
  if (m) {
    const target = WEEKDAYS[m[2] ?? ''] ?? 0;
    const dayOfMonth = m[4] ? Number(m[4]) : undefined;
    if (dayOfMonth !== undefined) {
      // "samedi 21" without a month: the latest 21st not after today
      for (let back = 0; back < 62; back += 1) {
        const d = addDays(today, -back);
        if (d.day === dayOfMonth) return { part: { date: d }, rest: t.replace(m[0], ' ') };
      }
    }
    const todayWd = weekdayOf(today);
    const previousWeek =
      /semaine/.test(m[1] ?? '') && /derniere/.test(m[1] ?? '')
        ? true
        : /semaine (derniere|passee)/.test(m[3] ?? '');
    let date: LocalDate;
    if (previousWeek) {
      date = addDays(today, -todayWd - 7 + target);
    } else if ((m[1] ?? '').startsWith('ce') || (m[1] ?? '').startsWith('cette semaine')) {
      date = addDays(today, -((todayWd - target + 7) % 7));
    } else {
      date = addDays(today, -(((todayWd - target + 6) % 7) + 1));
    }
    return { part: { date }, rest: t.replace(m[0], ' ') };
  }

  m =
    /\b(?:le|du) (\d{1,2})\b(?! ?(?:h|heures?|euros?|eur|jours?|mois|ans?|semaines?|minutes?|km|metres?)\b|\/|:)/.exec(
      t,
    );
  if (m) {
    const day = Number(m[1]);
    for (let back = 0; back < 62; back += 1) {
      const d = addDays(today, -back);
      if (d.day === day) return { part: { date: d }, rest: t.replace(m[0], ' ') };
    }
  }
  return null;
}

interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

const NOON: TimeOfDay = { hour: 12, minute: 0 };

function findTime(t: string, whole: string): TimeOfDay | null {
  let hour: number | undefined;
  let minute = 0;
  let m = /\b([01]?\d|2[0-3])(?:h|:)([0-5]\d)\b/.exec(t);
  if (m) {
    hour = Number(m[1]);
    minute = Number(m[2]);
  } else if ((m = /\b([01]?\d|2[0-4]) ?(?:h|heures?)\b/.exec(t))) {
    hour = Number(m[1]) % 24;
  } else if ((m = /\b(?<!apres )(midi|minuit)\b/.exec(t))) {
    hour = m[1] === 'midi' ? 12 : 0;
  }
  if (hour === undefined) return null;
  const after = t.slice((m?.index ?? 0) + (m?.[0].length ?? 0));
  if (/^ et demie?\b/.test(after)) minute = 30;
  else if (/^ et quart\b/.test(after)) minute = 15;
  else if (/^ moins le quart\b/.test(after)) {
    hour = (hour + 23) % 24;
    minute = 45;
  } else if (/^ trois quarts?\b/.test(after)) minute = 45;
  if (hour >= 1 && hour <= 11 && /\b(soir|soiree|apres midi|aprem)\b/.test(whole)) hour += 12;
  return { hour, minute };
}

/**
 * Reads the date (and time when given) of an event from French free text, relative to `now`.
 * Returns null when the text holds no usable date.
 */
export function parseDateTime(text: string, now: Date): ParsedDateTime | null {
  const local = parisLocal(now);
  const clock: Clock = {
    today: { year: local.year, month: local.month, day: local.day },
    hour: local.hour,
    minute: local.minute,
    instant: now,
  };
  const t = nights(prepare(text));
  // "le lendemain": a day after something else, not a date of its own
  if (/\ble lendemain\b/.test(t)) return null;
  // "entre vendredi soir et samedi matin": a span of days, not one date
  const span = /\bentre (.+?) et (.+)$/.exec(t);
  if (span && findDate(span[1] ?? '', clock) && findDate(span[2] ?? '', clock)) return null;
  // "jeudi, non, vendredi", "le 3 avril... non, le 4 avril": the client corrects himself
  const corrected = /^(.*)\b(?:non|enfin|pardon|plutot)\b(.*)$/.exec(t);
  const correction =
    corrected && findDate(corrected[1] ?? '', clock) ? findDate(corrected[2] ?? '', clock) : null;
  // the day corrected keeps the time said with the first one ("mardi soir vers 21h, non, mercredi")
  const found = correction
    ? { part: correction.part, rest: `${correction.rest} ${corrected?.[1] ?? ''}` }
    : findDate(t, clock);
  // "entre 9h et 17h", "de 14h à 18h": a span of hours gives the day only
  const hours = /\b(entre|de) \d{1,2} ?(h|heures?)\d* (et|a) \d{1,2} ?(h|heures?)/.test(t);
  const time = hours
    ? (found?.part.time ?? null)
    : (found?.part.time ?? findTime(found ? found.rest : t, t) ?? (/\bce midi\b/.test(t) ? NOON : null));
  if (!found) {
    if (!time) return null;
    const laterThanNow = time.hour * 60 + time.minute > clock.hour * 60 + clock.minute;
    const date = laterThanNow ? addDays(clock.today, -1) : clock.today;
    return { date: formatDate(date), time: formatTime(time.hour, time.minute), timeOnly: true };
  }
  let date = found.part.date;
  if (found.part.night && time && time.hour < 12) date = addDays(date, 1);
  return time
    ? { date: formatDate(date), time: formatTime(time.hour, time.minute) }
    : { date: formatDate(date) };
}

/** "2026-03-28T14:30" or "2026-03-28": the corpus and event form of a parsed date. */
export const formatDateTime = (value: ParsedDateTime): string =>
  value.time ? `${value.date}T${value.time}` : value.date;
