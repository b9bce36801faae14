/**
 * Business-time arithmetic: our `add`/`between` against dayjs-business-time and
 * moment-business-time on the same inputs, in the same run. The peers work in the process's
 * local time zone, so TZ is set to the calendar's zone while they run.
 */
import dayjs from 'dayjs';
import businessTime from 'dayjs-business-time';
import {
  add,
  between,
  bundledUkBankHolidays,
  DEFAULT_CALENDAR,
  type CalendarDocument,
} from '@app/business-hours';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const moment = require('moment-business-time');
dayjs.extend(businessTime);

type Day = Array<{ start: string; end: string }> | null;
/** The parts of the dayjs-business-time plugin used here (it ships no types for them). */
const businessDayjs = dayjs as unknown as {
  setBusinessTime(week: Record<string, Day>): void;
  setHolidays(dates: string[]): void;
  (ms: number): { addBusinessTime(amount: number, unit: 'hours'): { valueOf(): number } };
};

export const title = 'Business-hours arithmetic (libs/business-hours)';

const HOUR = 3600;
const HOLIDAYS = bundledUkBankHolidays()['england-and-wales'].map((h) => h.date);
const LONDON: CalendarDocument = { ...DEFAULT_CALENDAR, timeZone: 'Europe/London' };
const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Operations per second of `op` over `inputs`, median of ROUNDS rounds of `count` operations. */
function opsPerSecond<T>(inputs: T[], count: number, op: (input: T) => unknown): number {
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) op(inputs[i % inputs.length]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(count / seconds);
  }
  return median(rates);
}

interface Input {
  from: number;
  seconds: number;
}

function inputs(n: number, hours: (i: number) => number): Input[] {
  // A fixed pseudo-random walk over 2024–2026, on whole minutes, so every run sees the same inputs.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    from: start + Math.floor(next() * 3 * 365 * 1440) * 60_000,
    seconds: hours(i) * HOUR,
  }));
}

function configurePeers(): void {
  const day = [{ start: '09:00:00', end: '18:00:00' }];
  businessDayjs.setBusinessTime({
    sunday: null,
    monday: day,
    tuesday: day,
    wednesday: day,
    thursday: day,
    friday: day,
    saturday: null,
  });
  businessDayjs.setHolidays(HOLIDAYS);
  const hours = ['09:00:00', '18:00:00'];
  moment.updateLocale('en', {
    workinghours: { 0: null, 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: null },
    holidays: HOLIDAYS,
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

export async function run(): Promise<string> {
  configurePeers();
  const short = inputs(5000, (i) => 1 + (i % 8));
  const one = inputs(5000, () => 1);
  const long = inputs(5000, () => 2000);
  const rows: string[] = [];
  const notes: string[] = [];
  const savedTz = process.env.TZ;
  for (const [name, calendar] of [
    ['default (UTC)', DEFAULT_CALENDAR],
    ['Europe/London', LONDON],
  ] as const) {
    process.env.TZ = calendar.timeZone;
    const ours1to8 = opsPerSecond(short, 1_000_000, (x) => add(calendar, x.from, x.seconds));
    const ours1 = opsPerSecond(one, 1_000_000, (x) => add(calendar, x.from, x.seconds));
    const ours2000 = opsPerSecond(long, 300_000, (x) => add(calendar, x.from, x.seconds));
    const yearSpans = short.map((x) => ({ from: x.from, seconds: 0 }));
    const oursYear = opsPerSecond(yearSpans, 300_000, (x) =>
      between(calendar, x.from, x.from + 365 * 86_400_000),
    );
    const dayjsRate = opsPerSecond(short, 5_000, (x) =>
      businessDayjs(x.from)
        .addBusinessTime(x.seconds / HOUR, 'hours')
        .valueOf(),
    );
    const momentRate = opsPerSecond(short, 5_000, (x) =>
      moment(x.from)
        .addWorkingTime(x.seconds / HOUR, 'hours')
        .valueOf(),
    );
    let dayjsDiffers = 0;
    let momentDiffers = 0;
    for (const x of short.slice(0, 2000)) {
      const ours = add(calendar, x.from, x.seconds);
      if (
        businessDayjs(x.from)
          .addBusinessTime(x.seconds / HOUR, 'hours')
          .valueOf() !== ours
      )
        dayjsDiffers++;
      if (
        moment(x.from)
          .addWorkingTime(x.seconds / HOUR, 'hours')
          .valueOf() !== ours
      )
        momentDiffers++;
    }
    rows.push(
      `| ${name} | add 1–8 h | ${fmt(ours1to8)} | ${fmt(dayjsRate)} (×${(ours1to8 / dayjsRate).toFixed(0)}) | ${fmt(momentRate)} (×${(ours1to8 / momentRate).toFixed(0)}) |`,
      `| ${name} | add 1 h | ${fmt(ours1)} | | |`,
      `| ${name} | add 2,000 h | ${fmt(ours2000)} (${(ours1 / ours2000).toFixed(2)}× the time of 1 h) | | |`,
      `| ${name} | between over one year | ${fmt(oursYear)} | | |`,
    );
    notes.push(
      `${name}: of 2,000 add 1–8 h inputs, dayjs-business-time gave a different instant for ${dayjsDiffers}, moment-business-time for ${momentDiffers}.`,
    );
  }
  process.env.TZ = savedTz;
  return [
    `Operations per second on one core (Node is single-threaded), median of ${ROUNDS} rounds; the peers get the same inputs`,
    '(5,000 fixed pseudo-random receipt times over 2024–2026 on whole minutes, England and Wales bank holidays),',
    "with TZ set to the calendar's zone because they work in local time. `×N` is how many times faster ours is.",
    '',
    '| calendar | operation | ours (ops/s) | dayjs-business-time | moment-business-time |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    'Goals (issue 2): ≥ 1,000,000 add/s for 1–8 h targets; 2,000 h no more than 5× slower than 1 h; ≥ 20× both peers.',
  ].join('\n');
}
