// The report's period: a quarter [first day 00:00, first day of the next quarter 00:00) in the
// contract's time zone, and its months likewise (reports.md, "The period").

export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

export interface MonthPeriod {
  /** `YYYY-MM` in the contract's zone. */
  month: string;
  from: number;
  to: number;
}

export interface QuarterPeriod {
  quarter: string;
  timeZone: string;
  from: number;
  to: number;
  months: MonthPeriod[];
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ReportInputError(`timeZone: ${zone} is not an IANA time zone`);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset (ms) at instant `ms`. */
export function offsetAt(zone: string, ms: number): number {
  const t = Math.floor(ms / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(t)) p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
}

/** The UTC instant of local midnight starting `year-month-day` in `zone` (month 1–12; overflow allowed). */
export function localMidnight(zone: string, year: number, month: number, day = 1): number {
  const wall = Date.UTC(year, month - 1, day);
  let u = wall - offsetAt(zone, wall);
  u = wall - offsetAt(zone, u);
  return u;
}

/** Local calendar date parts of an instant in `zone`. */
export function localDate(zone: string, ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms + offsetAt(zone, ms));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `2026-Q4` → its bounds and months in `zone`. */
export function quarterPeriod(quarter: string, zone: string): QuarterPeriod {
  const m = QUARTER.exec(quarter);
  if (!m) throw new ReportInputError(`quarter: expected YYYY-Qn (e.g. 2026-Q4), got ${quarter}`);
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  const months: MonthPeriod[] = [0, 1, 2].map((i) => ({
    month: `${year}-${String(first + i).padStart(2, '0')}`,
    from: localMidnight(zone, year, first + i),
    to: localMidnight(zone, year, first + i + 1),
  }));
  return { quarter, timeZone: zone, from: months[0].from, to: months[2].to, months };
}

/** The quarter (`2026-Q4`) holding instant `ms` in `zone`. */
export function quarterOf(ms: number, zone: string): string {
  const d = localDate(zone, ms);
  return `${d.year}-Q${Math.floor((d.month - 1) / 3) + 1}`;
}

/** The quarter before `quarter`. */
export function previousQuarter(quarter: string): string {
  const m = QUARTER.exec(quarter);
  if (!m) throw new ReportInputError(`quarter: expected YYYY-Qn, got ${quarter}`);
  const q = Number(m[2]);
  return q === 1 ? `${Number(m[1]) - 1}-Q4` : `${m[1]}-Q${q - 1}`;
}
