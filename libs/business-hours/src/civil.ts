/** Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01). */

export const DAY_MS = 86_400_000;

/** Day number of a civil date (month 1–12). Howard Hinnant's days_from_civil. */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDay(n: number): CivilDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Monday … 6 = Sunday. Day 0 (1970-01-01) was a Thursday. */
export function weekdayOfDay(n: number): number {
  return (((n + 3) % 7) + 7) % 7;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a `YYYY-MM-DD` string, or null when it is not a real date. */
export function dayFromIsoDate(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const n = dayFromCivil(year, month, day);
  const back = civilFromDay(n);
  return back.month === month && back.day === day ? n : null;
}

const pad = (v: number, width = 2) => String(v).padStart(width, '0');

export function isoDateOfDay(n: number): string {
  const { year, month, day } = civilFromDay(n);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** "Fri 15 Mar 2024" */
export function longDateOfDay(n: number): string {
  const { year, month, day } = civilFromDay(n);
  return `${WEEKDAY_NAMES[weekdayOfDay(n)].slice(0, 3)} ${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** "09:30", or "09:30:15" / "09:30:15.250" when the time has seconds or milliseconds. */
export function clockOfMs(msOfDay: number): string {
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor((msOfDay % 3_600_000) / 60_000);
  const s = Math.floor((msOfDay % 60_000) / 1000);
  const ms = msOfDay % 1000;
  let text = `${pad(h)}:${pad(m)}`;
  if (s || ms) text += `:${pad(s)}`;
  if (ms) text += `.${pad(ms, 3)}`;
  return text;
}

/** UTC year of an instant, without allocating a Date. */
export function utcYearOf(ms: number): number {
  return civilFromDay(Math.floor(ms / DAY_MS)).year;
}

const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;

/**
 * A UTC instant from an ISO 8601 date-time that states its offset ("Z" or ±HH:MM), or null when
 * the text is not one or names a date or time that does not exist (2024-02-30, 25:00).
 * Stricter than Date.parse, which rolls 30 February over into March.
 */
export function parseIsoInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const day = dayFromIsoDate(m[1]);
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (day === null || h > 23 || min > 59 || s > 59) return null;
  const ms = Math.floor(Number(`0.${m[5] ?? '0'}`) * 1000);
  let offset = 0;
  if (m[6].toUpperCase() !== 'Z') {
    const [oh, om] = [Number(m[8]), Number(m[9])];
    if (oh > 23 || om > 59) return null;
    offset = (m[7] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return day * DAY_MS + ((h * 60 + min) * 60 + s) * 1000 + ms - offset;
}
