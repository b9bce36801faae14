import {
  add,
  between,
  CalendarError,
  isOpen,
  nextOpen,
  parseCalendar,
  parseIsoInstant,
} from '@app/business-hours';

/** One JSON line in, one JSON line out: the scripted face of the business-hours arithmetic. */
export function evaluateLine(line: string): Record<string, unknown> {
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(line);
  } catch {
    return { error: 'not a JSON object' };
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return { error: 'not a JSON object' };
  try {
    const calendar = parseCalendar(request.calendar);
    switch (request.op) {
      case 'add':
        return {
          result: iso(add(calendar, instant(request.from, 'from'), seconds(request.seconds))),
        };
      case 'between':
        return {
          seconds: between(calendar, instant(request.from, 'from'), instant(request.to, 'to')),
        };
      case 'isOpen':
        return { open: isOpen(calendar, instant(request.at, 'at')) };
      case 'nextOpen':
        return { result: iso(nextOpen(calendar, instant(request.at, 'at'))) };
      default:
        return {
          error: `op: expected "add", "between", "isOpen" or "nextOpen", got ${JSON.stringify(request.op)}`,
        };
    }
  } catch (err) {
    if (err instanceof CalendarError) return { error: err.message };
    return { error: `internal error: ${(err as Error).message}` };
  }
}

/** An instant must state its offset ("Z" or ±HH:MM): a bare local time would depend on the machine's TZ. */
function instant(value: unknown, field: string): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
    throw new CalendarError(
      `${field}: expected an ISO 8601 instant with Z or an offset, got ${JSON.stringify(value)}`,
    );
  }
  const ms = parseIsoInstant(value);
  if (ms === null)
    throw new CalendarError(`${field}: ${JSON.stringify(value)} is not a real date and time`);
  return ms;
}

function seconds(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CalendarError(`seconds: expected a number ≥ 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
