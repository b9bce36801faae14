// When a quarter's report is delivered: on the first business day after the quarter, by the
// contract's calendar (its zone and holidays), at the calendar's first open instant. Pure.
import { nextOpen, type CalendarDocument } from '@app/business-hours';

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(zone: string, ms: number): number {
  let f = offsetFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour) % 24,
    Number(p.minute),
    Number(p.second),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Local midnight starting the first day of `month0` (0-based, may overflow into later years) in `zone`. */
export function startOfLocalMonth(year: number, month0: number, zone: string): number {
  const guess = Date.UTC(year, month0, 1);
  const first = guess - offsetAt(zone, guess);
  return guess - offsetAt(zone, first);
}

export interface QuarterPeriod {
  quarter: string;
  from: number;
  to: number;
}

/** The quarter `2026-Q4` as [from, to) in `zone`. */
export function quarterPeriod(quarter: string, zone: string): QuarterPeriod {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  return {
    quarter,
    from: startOfLocalMonth(year, (q - 1) * 3, zone),
    to: startOfLocalMonth(year, q * 3, zone),
  };
}

/** The quarter holding instant `at` on the wall clock of `zone`. */
export function quarterAt(at: number, zone: string): QuarterPeriod {
  const local = new Date(at + offsetAt(zone, at));
  const year = local.getUTCFullYear();
  const q = Math.floor(local.getUTCMonth() / 3) + 1;
  return quarterPeriod(`${year}-Q${q}`, zone);
}

/** The quarter before `quarter`. */
export function previousQuarter(quarter: string): string {
  const [y, q] = quarter.split('-Q').map(Number);
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** The first business instant after the quarter: when its report is issued and mailed. */
export function deliveryDueAt(calendar: CalendarDocument, quarter: string): number {
  return nextOpen(calendar, quarterPeriod(quarter, calendar.timeZone).to);
}

/**
 * The quarter whose report is due at `now`: the last quarter that has ended, once its delivery time
 * (the first business instant after it) has come; null before that.
 */
export function quarterDue(
  calendar: CalendarDocument,
  now: number,
): { quarter: string; dueAt: number } | null {
  const ended = previousQuarter(quarterAt(now, calendar.timeZone).quarter);
  const dueAt = deliveryDueAt(calendar, ended);
  return dueAt <= now ? { quarter: ended, dueAt } : null;
}
