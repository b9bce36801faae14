/**
 * Property tests against a deliberately naive reference written here: it walks minute by minute,
 * reading each minute's wall clock through Intl, and applies the calendar's definition directly.
 */
import fc from 'fast-check';
import { add, between, isOpen, nextOpen, type CalendarDocument, type Interval } from '.';

const MINUTE = 60_000;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const ZONES = [
  'UTC',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Santiago',
];

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(zone: string, ms: number): { date: string; weekday: number; minute: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday),
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** The definition, minute by minute: open when the wall clock lies in an interval of its own date. */
function referenceOpen(cal: CalendarDocument, ms: number): boolean {
  const { date, weekday, minute } = wallClock(cal.timeZone, ms);
  const hours =
    cal.overrides?.[date] ?? (cal.holidays?.includes(date) ? [] : (cal.week[DAYS[weekday]] ?? []));
  return hours.some(([s, e]) => minute >= toMinutes(s) && minute < toMinutes(e));
}

function referenceBetween(cal: CalendarDocument, a: number, b: number): number {
  let seconds = 0;
  for (let t = a; t < b; t += MINUTE) if (referenceOpen(cal, t)) seconds += 60;
  return seconds;
}

function referenceAdd(cal: CalendarDocument, from: number, seconds: number): number | null {
  let left = seconds;
  for (let t = from; left > 0; t += MINUTE) {
    if (t - from > 40 * 86_400_000) return null; // not found within the reference's reach
    if (referenceOpen(cal, t)) left -= 60;
    if (left === 0) return t + MINUTE;
  }
  return from;
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Up to three disjoint intervals on a 15-minute grid; "24:00" may end the last. */
const dayHours = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((ticks) => {
  const sorted = [...ticks].sort((x, y) => x - y);
  const out: Interval[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2)
    out.push([clock(sorted[i] * 15), clock(sorted[i + 1] * 15)]);
  return out;
});

// Instants near the 2025 clock changes of the zones above (and an ordinary week).
const ANCHORS = [
  '2025-03-30T00:00:00Z',
  '2025-10-26T00:00:00Z',
  '2025-03-09T06:00:00Z',
  '2025-11-02T06:00:00Z',
  '2025-04-06T00:00:00Z',
  '2025-09-07T03:00:00Z',
  '2025-10-05T00:00:00Z',
  '2025-06-11T12:00:00Z',
].map(Date.parse);
const instant = fc
  .tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -3 * 1440, max: 3 * 1440 }))
  .map(([a, m]) => a + m * MINUTE);

const calendar = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.record({
      mon: dayHours,
      tue: dayHours,
      wed: dayHours,
      thu: dayHours,
      fri: dayHours,
      sat: dayHours,
      sun: dayHours,
    }),
    holidayOffsets: fc.uniqueArray(fc.integer({ min: -4, max: 4 }), { maxLength: 2 }),
    overrideOffsets: fc.uniqueArray(fc.integer({ min: -4, max: 4 }), { maxLength: 2 }),
    overrideHours: dayHours,
    anchor: fc.constantFrom(...ANCHORS),
  })
  .map(
    ({
      timeZone,
      week,
      holidayOffsets,
      overrideOffsets,
      overrideHours,
      anchor,
    }): CalendarDocument => {
      const dateAt = (d: number) => new Date(anchor + d * 86_400_000).toISOString().slice(0, 10);
      return {
        timeZone,
        week,
        holidays: holidayOffsets.map(dateAt),
        overrides: Object.fromEntries(overrideOffsets.map((d) => [dateAt(d), overrideHours])),
      };
    },
  )
  .filter((cal) => Object.values(cal.week).some((h) => h.length > 0));

const RUNS = { numRuns: 150 };

describe('business-time arithmetic agrees with the minute-stepping reference', () => {
  test('between(a, b) counts the open minutes of [a, b)', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 2 * 1440 }), (cal, a, span) => {
        expect(between(cal, a, a + span * MINUTE)).toBe(
          referenceBetween(cal, a, a + span * MINUTE),
        );
      }),
      RUNS,
    );
  });

  test('add(a, s) is the first instant by which s business seconds have passed', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 1200 }), (cal, a, minutes) => {
        const expected = referenceAdd(cal, a, minutes * 60);
        fc.pre(expected !== null);
        expect(new Date(add(cal, a, minutes * 60)).toISOString()).toBe(
          new Date(expected!).toISOString(),
        );
      }),
      RUNS,
    );
  });

  test('isOpen and nextOpen follow the definition', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, at) => {
        expect(isOpen(cal, at)).toBe(referenceOpen(cal, at));
        let t = at;
        while (!referenceOpen(cal, t)) t += MINUTE;
        expect(nextOpen(cal, at)).toBe(t);
      }),
      RUNS,
    );
  });
});

describe('algebraic properties', () => {
  test('between(a, add(a, s)) = s, for any amount (milliseconds included)', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.integer({ min: 0, max: 400 * 3600 * 1000 }),
        (cal, a, ms) => {
          expect(between(cal, a, add(cal, a, ms / 1000))).toBe(ms / 1000);
        },
      ),
      RUNS,
    );
  });

  test('add is monotonic in the amount', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.integer({ min: 0, max: 200 * 3600 }),
        fc.integer({ min: 0, max: 200 * 3600 }),
        (cal, a, s1, s2) => {
          const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
          expect(add(cal, a, lo)).toBeLessThanOrEqual(add(cal, a, hi));
        },
      ),
      RUNS,
    );
  });

  test('between is additive and antisymmetric', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, a, b, c) => {
        expect(between(cal, a, b) + between(cal, b, c)).toBe(between(cal, a, c));
        expect(between(cal, b, a) + between(cal, a, b)).toBe(0);
      }),
      RUNS,
    );
  });
});
