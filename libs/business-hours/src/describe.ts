import type { CalendarDocument } from './calendar';
import {
  clockOfMs,
  DAY_MS,
  isoDateOfDay,
  longDateOfDay,
  WEEKDAY_NAMES,
  weekdayOfDay,
} from './civil';
import { compile, type DayKind } from './compiled';

export interface LocalInstant {
  /** Local day number (days since 1970-01-01 in the calendar's zone). */
  day: number;
  date: string;
  weekday: string;
  clock: string;
  /** "Fri 15 Mar 2024 16:00" */
  text: string;
}

/** Local day number of an instant in the calendar's zone. */
export function localDayOf(calendar: CalendarDocument, ms: number): number {
  const cal = compile(calendar);
  return Math.floor((ms + cal.zone.offsetAt(ms)) / DAY_MS);
}

/** An instant as the calendar's own wall clock shows it. */
export function describeInstant(calendar: CalendarDocument, ms: number): LocalInstant {
  const cal = compile(calendar);
  const local = ms + cal.zone.offsetAt(ms);
  const day = Math.floor(local / DAY_MS);
  const clock = clockOfMs(local - day * DAY_MS);
  return {
    day,
    date: isoDateOfDay(day),
    weekday: WEEKDAY_NAMES[weekdayOfDay(day)],
    clock,
    text: `${longDateOfDay(day)} ${clock}`,
  };
}

export interface LocalDayDescription {
  date: string;
  /** "Sat 16 Mar 2024" */
  text: string;
  kind: DayKind;
  holidayName?: string;
  /** The hours in force that date, e.g. ["09:00–18:00"]. */
  hours: string[];
}

export function describeLocalDay(calendar: CalendarDocument, day: number): LocalDayDescription {
  const info = compile(calendar).localDay(day);
  const hours: string[] = [];
  for (let i = 0; i < info.hours.length; i += 2)
    hours.push(`${clockOfMs(info.hours[i])}–${clockOfMs(info.hours[i + 1])}`);
  return {
    date: isoDateOfDay(day),
    text: longDateOfDay(day),
    kind: info.kind,
    holidayName: info.holidayName,
    hours,
  };
}
