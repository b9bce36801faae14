import { CalendarError } from './errors';
import { civilFromDay, dayFromIsoDate, weekdayOfDay } from './civil';
import bundledGovUk from './data/uk-bank-holidays.json';

/** The UK divisions as GOV.UK names them, under our holiday-set names. */
const UK_DIVISIONS: Record<string, { division: string; state: string }> = {
  'uk:england-and-wales': { division: 'england-and-wales', state: 'ENG' },
  'uk:scotland': { division: 'scotland', state: 'SCT' },
  'uk:northern-ireland': { division: 'northern-ireland', state: 'NIR' },
};

export const HOLIDAY_SETS = {
  uk: Object.keys(UK_DIVISIONS),
  /** Any other country or region, as `cc` or `cc:region` (ISO 3166 codes, e.g. `dk`, `de:by`). */
  other: 'cc or cc:region, from the date-holidays rules',
} as const;

export interface Holiday {
  date: string;
  title: string;
}

/**
 * Parses GOV.UK's `bank-holidays.json` ({division: {division, events: [{title, date}]}}) into
 * the holidays of each division. Throws CalendarError naming the first thing that is wrong.
 */
export function parseGovUkBankHolidays(json: unknown): Record<string, Holiday[]> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CalendarError(
      'bank holidays: expected an object of divisions, as GOV.UK bank-holidays.json',
    );
  }
  const result: Record<string, Holiday[]> = {};
  for (const [key, value] of Object.entries(json)) {
    const events = (value as { events?: unknown })?.events;
    if (!Array.isArray(events))
      throw new CalendarError(`bank holidays: division "${key}" has no events list`);
    result[key] = events.map((event, i) => {
      const { date, title } = (event ?? {}) as { date?: unknown; title?: unknown };
      if (typeof date !== 'string' || dayFromIsoDate(date) === null) {
        throw new CalendarError(`bank holidays: ${key} event ${i} has no valid date (YYYY-MM-DD)`);
      }
      return { date, title: typeof title === 'string' ? title : 'Bank holiday' };
    });
  }
  if (Object.keys(result).length === 0)
    throw new CalendarError('bank holidays: no divisions found');
  return result;
}

const govUk = parseGovUkBankHolidays(bundledGovUk);

function yearsCovered(holidays: Holiday[]): { first: number; last: number } {
  const years = holidays.map((h) => Number(h.date.slice(0, 4)));
  return { first: Math.min(...years), last: Math.max(...years) };
}

// date-holidays is large: on the server it is loaded the first time a set or a year needs its rules;
// a browser build registers it (loaded as its own chunk) with registerHolidayRules.
type DateHolidays = {
  getHolidays(year: number): Array<{ date: string; type: string; name: string }>;
};
export type HolidayRules = new (
  country?: string,
  state?: string,
) => DateHolidays & {
  getCountries(): Record<string, string>;
  getStates(country: string): Record<string, string> | undefined;
};
let HolidaysClass: HolidayRules | null = null;

export function registerHolidayRules(rules: HolidayRules): void {
  HolidaysClass = rules;
}

function rules(country?: string, state?: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: ~45 MB of rules
  HolidaysClass ??= require('date-holidays') as HolidayRules;
  return new HolidaysClass(country, state);
}

/** Public holidays of a country or region by the date-holidays rules; weekend days dropped when `weekdaysOnly`. */
export function ruleBasedHolidays(
  country: string,
  state: string | undefined,
  year: number,
  weekdaysOnly: boolean,
): Holiday[] {
  const days = new Map<string, string>();
  for (const h of rules(country, state).getHolidays(year)) {
    if (h.type !== 'public') continue;
    const date = h.date.slice(0, 10);
    const day = dayFromIsoDate(date)!;
    if (weekdaysOnly && weekdayOfDay(day) >= 5) continue;
    if (!days.has(date)) days.set(date, h.name);
  }
  return [...days].map(([date, title]) => ({ date, title }));
}

/** Throws CalendarError for a holiday set this library cannot resolve. */
export function checkHolidaySet(name: string): void {
  if (UK_DIVISIONS[name]) return;
  const m = /^([a-z]{2})(?::([a-z0-9-]{1,10}))?$/.exec(name);
  if (!m || m[1] === 'uk') {
    throw new CalendarError(
      `unknown holiday set "${name}": use ${HOLIDAY_SETS.uk.join(', ')}, or a country code such as "dk" or "de:by"`,
    );
  }
  const country = m[1].toUpperCase();
  const probe = rules();
  if (!probe.getCountries()[country])
    throw new CalendarError(`unknown holiday set "${name}": no country ${country}`);
  if (m[2] && !probe.getStates(country)?.[m[2].toUpperCase()]) {
    throw new CalendarError(
      `unknown holiday set "${name}": ${country} has no region ${m[2].toUpperCase()}`,
    );
  }
}

const cache = new Map<string, Map<number, string>>();

/**
 * The holidays of one set in one year, as day number → title. UK sets come from the GOV.UK data
 * for the years it covers and from the date-holidays rules outside them.
 */
export function holidaysOfSet(name: string, year: number): Map<number, string> {
  const key = `${name}/${year}`;
  let found = cache.get(key);
  if (found) return found;
  let list: Holiday[];
  const uk = UK_DIVISIONS[name];
  if (uk) {
    const data = govUk[uk.division];
    const { first, last } = yearsCovered(data);
    list =
      year >= first && year <= last
        ? data.filter((h) => h.date.startsWith(`${year}-`))
        : // GOV.UK lists the substitute weekday, never the weekend day itself.
          ruleBasedHolidays('GB', uk.state, year, true);
  } else {
    checkHolidaySet(name);
    const [country, state] = name.split(':');
    list = ruleBasedHolidays(country.toUpperCase(), state?.toUpperCase(), year, false);
  }
  found = new Map(list.map((h) => [dayFromIsoDate(h.date)!, h.title]));
  cache.set(key, found);
  return found;
}

/** The GOV.UK data bundled with this library, by division. */
export function bundledUkBankHolidays(): Record<string, Holiday[]> {
  return govUk;
}

export function yearOfDay(day: number): number {
  return civilFromDay(day).year;
}
