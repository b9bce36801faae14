import { CalendarError } from './errors';
import { dayFromIsoDate, WEEKDAYS, type Weekday } from './civil';
import { checkHolidaySet } from './holidays';

export { CalendarError } from './errors';
export type { Weekday } from './civil';
export { WEEKDAYS } from './civil';

/** A half-open local wall-clock range, ["09:00", "18:00"]; "24:00" may end one. */
export type Interval = [string, string];

/** A calendar as stored and exchanged: the desk's hours in one explicit time zone. */
export interface CalendarDocument {
  /** IANA time zone name, e.g. "UTC" or "Europe/London". */
  timeZone: string;
  week: Partial<Record<Weekday, Interval[]>>;
  /** Extra closed dates, "YYYY-MM-DD" (local to the calendar's zone). */
  holidays?: string[];
  /** Named public-holiday sets: "uk:england-and-wales", "uk:scotland", "uk:northern-ireland", "dk", … */
  holidaySets?: string[];
  /** Dates whose hours replace the weekly hours (and win over a holiday); [] closes the date. */
  overrides?: Record<string, Interval[]>;
}

/** The contract's business hours: 09:00–18:00 GMT on weekdays, England and Wales bank holidays excluded. */
export const DEFAULT_CALENDAR: CalendarDocument = {
  timeZone: 'UTC',
  week: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
    sat: [],
    sun: [],
  },
  holidays: [],
  holidaySets: ['uk:england-and-wales'],
  overrides: {},
};

const CLOCK = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const HOUR_MS = 3_600_000;

/** Milliseconds since local midnight of "HH:MM" or "HH:MM:SS"; "24:00" is the end of the day. */
export function parseClock(text: unknown, where: string): number {
  const m = typeof text === 'string' ? CLOCK.exec(text) : null;
  if (!m) throw new CalendarError(`${where}: "${String(text)}" is not a time of day (HH:MM)`);
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const ms = h * HOUR_MS + min * 60_000 + s * 1000;
  if (min > 59 || s > 59 || ms > 24 * HOUR_MS)
    throw new CalendarError(`${where}: "${text}" is not a time between 00:00 and 24:00`);
  return ms;
}

/** Validates a list of intervals and returns it as sorted, merged [start, end, start, end, …] ms of day. */
export function parseIntervals(value: unknown, where: string): number[] {
  if (!Array.isArray(value))
    throw new CalendarError(`${where}: expected a list of ["HH:MM","HH:MM"] intervals`);
  const pairs: Array<[number, number]> = value.map((iv, i) => {
    if (!Array.isArray(iv) || iv.length !== 2) {
      throw new CalendarError(`${where}[${i}]: expected ["HH:MM","HH:MM"]`);
    }
    const start = parseClock(iv[0], `${where}[${i}]`);
    const end = parseClock(iv[1], `${where}[${i}]`);
    if (start === 24 * HOUR_MS)
      throw new CalendarError(`${where}[${i}]: an interval cannot start at 24:00`);
    if (end < start) {
      throw new CalendarError(
        `${where}[${i}]: ends (${iv[1]}) before it starts (${iv[0]}); write a night shift as two intervals on two days`,
      );
    }
    return [start, end];
  });
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [start, end] of pairs) {
    if (start === end) continue;
    const last = merged.length - 1;
    if (last > 0 && start <= merged[last]) merged[last] = Math.max(merged[last], end);
    else merged.push(start, end);
  }
  return merged;
}

function assertZone(zone: unknown): string {
  if (typeof zone !== 'string' || zone === '')
    throw new CalendarError('timeZone: required, an IANA name such as "UTC" or "Europe/London"');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new CalendarError(`timeZone: "${zone}" is not an IANA time zone`);
  }
  return zone;
}

function assertDates(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new CalendarError(`${where}: expected a list of "YYYY-MM-DD" dates`);
  for (const [i, d] of value.entries()) {
    if (typeof d !== 'string' || dayFromIsoDate(d) === null)
      throw new CalendarError(`${where}[${i}]: "${String(d)}" is not a date (YYYY-MM-DD)`);
  }
  return value as string[];
}

const KNOWN_KEYS = new Set(['timeZone', 'week', 'holidays', 'holidaySets', 'overrides']);

/** Checks a calendar document and returns it typed; throws CalendarError saying what is wrong. */
export function parseCalendar(doc: unknown): CalendarDocument {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new CalendarError('calendar: expected an object');
  const raw = doc as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) throw new CalendarError(`calendar: unknown field(s) ${unknown.join(', ')}`);
  const timeZone = assertZone(raw.timeZone);
  if (typeof raw.week !== 'object' || raw.week === null || Array.isArray(raw.week)) {
    throw new CalendarError('week: required, an object with mon … sun lists of intervals');
  }
  const week = raw.week as Record<string, unknown>;
  for (const key of Object.keys(week)) {
    if (!(WEEKDAYS as readonly string[]).includes(key))
      throw new CalendarError(`week: unknown day "${key}" (use ${WEEKDAYS.join(', ')})`);
    parseIntervals(week[key], `week.${key}`);
  }
  const holidays = assertDates(raw.holidays, 'holidays');
  if (raw.holidaySets !== undefined && !Array.isArray(raw.holidaySets))
    throw new CalendarError('holidaySets: expected a list of names');
  const holidaySets = (raw.holidaySets ?? []) as unknown[];
  for (const [i, name] of holidaySets.entries()) {
    if (typeof name !== 'string') throw new CalendarError(`holidaySets[${i}]: expected a name`);
    checkHolidaySet(name);
  }
  if (
    raw.overrides !== undefined &&
    (typeof raw.overrides !== 'object' || raw.overrides === null || Array.isArray(raw.overrides))
  ) {
    throw new CalendarError('overrides: expected an object of "YYYY-MM-DD": intervals');
  }
  const overrides = (raw.overrides ?? {}) as Record<string, unknown>;
  for (const [date, ivs] of Object.entries(overrides)) {
    if (dayFromIsoDate(date) === null)
      throw new CalendarError(`overrides: "${date}" is not a date (YYYY-MM-DD)`);
    parseIntervals(ivs, `overrides.${date}`);
  }
  return {
    timeZone,
    week: week as CalendarDocument['week'],
    holidays,
    holidaySets: holidaySets as string[],
    overrides: overrides as CalendarDocument['overrides'],
  };
}
