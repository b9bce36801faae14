// When a quarter's report is delivered: on the first business day after the quarter, by the
// contract's calendar (its zone and holidays), at the calendar's first open instant. Pure.
import { nextOpen, type CalendarDocument } from '@app/business-hours';
import { previousQuarter, quarterOf, quarterPeriod } from '../core/period';

/** The first business instant after the quarter: when its report is issued and mailed. */
export function deliveryDueAt(calendar: CalendarDocument, quarter: string): number {
  return nextOpen(calendar, quarterPeriod(quarter, calendar.timeZone).to);
}

/**
 * The quarter whose report is due at `now`: the last quarter that has ended once its delivery time
 * (the first business instant after it) has come, else the one before it (due long since; a worker
 * that was down then delivers it now, and the unique row per organisation and quarter keeps it once).
 */
export function quarterDue(
  calendar: CalendarDocument,
  now: number,
): { quarter: string; dueAt: number } {
  const ended = previousQuarter(quarterOf(now, calendar.timeZone));
  const dueAt = deliveryDueAt(calendar, ended);
  if (dueAt <= now) return { quarter: ended, dueAt };
  const before = previousQuarter(ended);
  return { quarter: before, dueAt: deliveryDueAt(calendar, before) };
}
