import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundledUkBankHolidays,
  CalendarError,
  holidaysOfSet,
  isoDateOfDay,
  isOpen,
  parseGovUkBankHolidays,
  ruleBasedHolidays,
  type CalendarDocument,
} from '.';

const STATES: Record<string, string> = {
  'england-and-wales': 'ENG',
  scotland: 'SCT',
  'northern-ireland': 'NIR',
};
const datesOf = (set: string, year: number) =>
  [...holidaysOfSet(set, year).keys()].map(isoDateOfDay).sort();

describe('GOV.UK bank holidays and the rule-based fallback', () => {
  test('agree on every year the GOV.UK data covers, but for the differences listed here', () => {
    const differences: string[] = [];
    for (const [division, list] of Object.entries(bundledUkBankHolidays())) {
      for (let year = 2019; year <= 2028; year++) {
        const govUk = new Set(list.filter((h) => h.date.startsWith(`${year}-`)).map((h) => h.date));
        const rules = new Set(
          ruleBasedHolidays('GB', STATES[division], year, true).map((h) => h.date),
        );
        for (const d of govUk) if (!rules.has(d)) differences.push(`${division} ${d}: GOV.UK only`);
        for (const d of rules) if (!govUk.has(d)) differences.push(`${division} ${d}: rules only`);
      }
    }
    // The one-off Scottish bank holiday for the 2026 World Cup is not in the date-holidays rules.
    expect(differences).toEqual(['scotland 2026-06-15: GOV.UK only']);
  });

  test('the bundled GOV.UK file reads through the import parser: 2019 to 2028 for all three divisions', () => {
    const file = JSON.parse(readFileSync(join(__dirname, 'data', 'uk-bank-holidays.json'), 'utf8'));
    expect(parseGovUkBankHolidays(file)['england-and-wales']).toContainEqual({
      date: '2023-05-08',
      title: 'Bank holiday for the coronation of King Charles III',
    });
    expect(bundledUkBankHolidays()['england-and-wales']).toHaveLength(83);
    expect(bundledUkBankHolidays().scotland).toHaveLength(94);
    expect(bundledUkBankHolidays()['northern-ireland']).toHaveLength(103);
  });

  test.each([
    [
      'uk:england-and-wales',
      2026,
      [
        '2026-01-01',
        '2026-04-03',
        '2026-04-06',
        '2026-05-04',
        '2026-05-25',
        '2026-08-31',
        '2026-12-25',
        '2026-12-28',
      ],
    ],
    [
      'uk:scotland',
      2025,
      [
        '2025-01-01',
        '2025-01-02',
        '2025-04-18',
        '2025-05-05',
        '2025-05-26',
        '2025-08-04',
        '2025-12-01',
        '2025-12-25',
        '2025-12-26',
      ],
    ],
    [
      'uk:northern-ireland',
      2025,
      [
        '2025-01-01',
        '2025-03-17',
        '2025-04-18',
        '2025-04-21',
        '2025-05-05',
        '2025-05-26',
        '2025-07-14',
        '2025-08-25',
        '2025-12-25',
        '2025-12-26',
      ],
    ],
    // Beyond the data: rules, weekend days replaced by their substitutes (25/26 Dec 2032 fall on Sat/Sun).
    [
      'uk:england-and-wales',
      2032,
      [
        '2032-01-01',
        '2032-03-26',
        '2032-03-29',
        '2032-05-03',
        '2032-05-31',
        '2032-08-30',
        '2032-12-27',
        '2032-12-28',
      ],
    ],
    [
      'dk',
      2026,
      [
        '2026-01-01',
        '2026-04-02',
        '2026-04-03',
        '2026-04-05',
        '2026-04-06',
        '2026-05-14',
        '2026-05-24',
        '2026-05-25',
        '2026-12-25',
        '2026-12-26',
      ],
    ],
  ])('%s %i', (set, year, expected) => {
    expect(datesOf(set, year)).toEqual(expected);
  });

  test('the division is a setting of the calendar: 2 January is open in England, closed in Scotland', () => {
    const week = { thu: [['09:00', '18:00']] } as CalendarDocument['week'];
    const england: CalendarDocument = {
      timeZone: 'UTC',
      week,
      holidaySets: ['uk:england-and-wales'],
    };
    const scotland: CalendarDocument = { timeZone: 'UTC', week, holidaySets: ['uk:scotland'] };
    expect(isOpen(england, Date.parse('2025-01-02T12:00:00Z'))).toBe(true);
    expect(isOpen(scotland, Date.parse('2025-01-02T12:00:00Z'))).toBe(false);
  });
});

describe('parseGovUkBankHolidays (the admin import)', () => {
  test('reads the GOV.UK shape', () => {
    const json = {
      'england-and-wales': {
        division: 'england-and-wales',
        events: [
          { title: 'Boxing Day', date: '2026-12-28', notes: 'Substitute day', bunting: true },
        ],
      },
    };
    expect(parseGovUkBankHolidays(json)).toEqual({
      'england-and-wales': [{ date: '2026-12-28', title: 'Boxing Day' }],
    });
  });

  test.each([
    [[], 'expected an object of divisions'],
    [{}, 'no divisions found'],
    [{ scotland: { events: 'none' } }, 'division "scotland" has no events list'],
    [
      { scotland: { events: [{ title: 'x', date: '2026-02-30' }] } },
      'scotland event 0 has no valid date',
    ],
  ])('refuses %j', (json, message) => {
    expect(() => parseGovUkBankHolidays(json)).toThrow(CalendarError);
    expect(() => parseGovUkBankHolidays(json)).toThrow(message);
  });
});
