import {
  add,
  between,
  businessIntervals,
  CalendarError,
  DEFAULT_CALENDAR,
  isOpen,
  nextOpen,
  parseCalendar,
  type CalendarDocument,
} from '.';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3600;

const weekdays = (hours: Array<[string, string]>): CalendarDocument['week'] => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
  sat: [],
  sun: [],
});

describe('the contract calendar: worked examples of sla-rules.md §4', () => {
  test.each([
    ['Tue 2024-03-12 10:15', '2024-03-12T10:15:00Z', 1, '2024-03-12T11:15:00.000Z'],
    ['Tue 2024-03-12 17:30', '2024-03-12T17:30:00Z', 1, '2024-03-13T09:30:00.000Z'],
    ['Tue 2024-03-12 18:00', '2024-03-12T18:00:00Z', 1, '2024-03-13T10:00:00.000Z'],
    ['Tue 2024-03-12 08:59', '2024-03-12T08:59:00Z', 1, '2024-03-12T10:00:00.000Z'],
    ['Sat 2024-03-16 11:00', '2024-03-16T11:00:00Z', 1, '2024-03-18T10:00:00.000Z'],
    ['Fri 2024-03-15 16:00', '2024-03-15T16:00:00Z', 4, '2024-03-18T11:00:00.000Z'],
    ['Thu 2024-03-28 12:00 (Easter)', '2024-03-28T12:00:00Z', 8, '2024-04-02T11:00:00.000Z'],
    ['Tue 2024-12-24 15:00 (Christmas)', '2024-12-24T15:00:00Z', 8, '2024-12-27T14:00:00.000Z'],
    [
      'Thu 2026-12-24 17:00 (Boxing Day substitute)',
      '2026-12-24T17:00:00Z',
      8,
      '2026-12-29T16:00:00.000Z',
    ],
    [
      'Tue 2024-03-12 17:00, used up at closing time',
      '2024-03-12T17:00:00Z',
      1,
      '2024-03-12T18:00:00.000Z',
    ],
  ])('%s + %i business hours is due %s', (_label, received, hours, due) => {
    expect(iso(add(DEFAULT_CALENDAR, at(received), hours * H))).toBe(due);
    expect(between(DEFAULT_CALENDAR, at(received), at(due))).toBe(hours * H);
  });
});

describe('bank holidays of England and Wales close the whole day', () => {
  test.each([
    ['2022-06-03', 'Platinum Jubilee'],
    ['2022-09-19', 'State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Coronation of King Charles III'],
    ['2026-12-28', 'Boxing Day substitute'],
    ['2025-08-25', 'Summer bank holiday'],
  ])('%s (%s)', (date) => {
    expect(isOpen(DEFAULT_CALENDAR, at(`${date}T12:00:00Z`))).toBe(false);
    expect(between(DEFAULT_CALENDAR, at(`${date}T00:00:00Z`), at(`${date}T23:59:59Z`))).toBe(0);
  });

  test('the day before a one-off holiday rolls over it', () => {
    // Thu 2022-06-02 was also a holiday (Spring bank holiday moved), Fri 06-03 the Jubilee.
    expect(iso(add(DEFAULT_CALENDAR, at('2022-06-01T17:00:00Z'), 2 * H))).toBe(
      '2022-06-06T10:00:00.000Z',
    );
    expect(iso(add(DEFAULT_CALENDAR, at('2023-05-05T17:30:00Z'), 1 * H))).toBe(
      '2023-05-09T09:30:00.000Z',
    );
  });

  test('years beyond the GOV.UK data fall back to the rules (Christmas 2030, Easter 2031)', () => {
    expect(isOpen(DEFAULT_CALENDAR, at('2030-12-25T12:00:00Z'))).toBe(false);
    expect(isOpen(DEFAULT_CALENDAR, at('2031-04-14T12:00:00Z'))).toBe(false); // Easter Monday 2031
    expect(isOpen(DEFAULT_CALENDAR, at('2031-04-15T12:00:00Z'))).toBe(true);
  });
});

describe('weekly hours', () => {
  const split: CalendarDocument = {
    timeZone: 'UTC',
    week: weekdays([
      ['09:00', '12:00'],
      ['13:00', '17:30'],
    ]),
  };
  const night: CalendarDocument = {
    timeZone: 'UTC',
    week: {
      mon: [['22:00', '24:00']],
      tue: [
        ['00:00', '06:00'],
        ['22:00', '24:00'],
      ],
      wed: [['00:00', '06:00']],
    },
  };
  const allDay: CalendarDocument = {
    timeZone: 'UTC',
    week: { sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] },
  };

  test.each([
    [
      'split shift: lunch is skipped',
      split,
      '2024-03-12T11:30:00Z',
      1 * H,
      '2024-03-12T13:30:00.000Z',
    ],
    [
      'split shift: used up at lunch is due at 12:00',
      split,
      '2024-03-12T11:00:00Z',
      1 * H,
      '2024-03-12T12:00:00.000Z',
    ],
    [
      'split shift: a day holds 7.5 hours',
      split,
      '2024-03-12T09:00:00Z',
      7.5 * H,
      '2024-03-12T17:30:00.000Z',
    ],
    [
      'split shift: over the weekend',
      split,
      '2024-03-15T17:00:00Z',
      2 * H,
      '2024-03-18T10:30:00.000Z',
    ],
    [
      'night shift across midnight',
      night,
      '2024-03-11T23:00:00Z',
      3 * H,
      '2024-03-12T02:00:00.000Z',
    ],
    [
      'night shift: 24:00 end meets 00:00 start',
      night,
      '2024-03-11T22:00:00Z',
      8 * H,
      '2024-03-12T06:00:00.000Z',
    ],
    ['night shift: next night', night, '2024-03-12T05:00:00Z', 2 * H, '2024-03-12T23:00:00.000Z'],
    ['24:00 end, weekend only', allDay, '2024-03-15T12:00:00Z', 30 * H, '2024-03-17T06:00:00.000Z'],
    [
      'zero seconds gives the start, even when closed',
      DEFAULT_CALENDAR,
      '2024-03-16T11:00:00Z',
      0,
      '2024-03-16T11:00:00.000Z',
    ],
    [
      'milliseconds are kept',
      DEFAULT_CALENDAR,
      '2024-03-12T10:15:00.123Z',
      0.5,
      '2024-03-12T10:15:00.623Z',
    ],
    [
      '2,000 business hours',
      DEFAULT_CALENDAR,
      '2024-01-02T09:00:00Z',
      2000 * H,
      '2024-11-14T11:00:00.000Z',
    ], // checked by minute-stepping,
  ])('%s', (_label, calendar, from, seconds, expected) => {
    expect(iso(add(calendar, at(from), seconds))).toBe(expected);
    expect(between(calendar, at(from), at(expected))).toBe(seconds);
  });

  test('between is negative for a reversed range and zero for an empty one', () => {
    expect(between(DEFAULT_CALENDAR, at('2024-03-13T10:00:00Z'), at('2024-03-12T17:00:00Z'))).toBe(
      -2 * H,
    );
    expect(between(DEFAULT_CALENDAR, at('2024-03-13T10:00:00Z'), at('2024-03-13T10:00:00Z'))).toBe(
      0,
    );
  });

  test('between over a whole year counts 9 hours on each working day', () => {
    // 2025: 261 weekdays, 8 bank holidays in England and Wales, all on weekdays.
    expect(between(DEFAULT_CALENDAR, at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toBe(
      (261 - 8) * 9 * H,
    );
  });
});

describe('overrides and hand-made holidays', () => {
  const calendar: CalendarDocument = {
    ...DEFAULT_CALENDAR,
    holidays: ['2024-03-13'],
    overrides: {
      '2024-03-14': [['09:00', '13:00']],
      '2024-12-25': [['10:00', '12:00']],
      '2024-03-16': [['10:00', '11:00']],
    },
  };
  test.each([
    [
      'a hand-made holiday closes the day',
      '2024-03-12T17:00:00Z',
      2 * H,
      '2024-03-14T10:00:00.000Z',
    ],
    ['an override shortens the day', '2024-03-14T12:00:00Z', 2 * H, '2024-03-15T10:00:00.000Z'],
    [
      'an override wins over a bank holiday',
      '2024-12-24T17:30:00Z',
      1 * H,
      '2024-12-25T10:30:00.000Z',
    ],
    ['an override opens a Saturday', '2024-03-15T17:30:00Z', 1 * H, '2024-03-16T10:30:00.000Z'],
  ])('%s', (_label, from, seconds, expected) => {
    expect(iso(add(calendar, at(from), seconds))).toBe(expected);
  });

  test('an empty override closes a working day', () => {
    const closed: CalendarDocument = { ...DEFAULT_CALENDAR, overrides: { '2024-03-12': [] } };
    expect(isOpen(closed, at('2024-03-12T12:00:00Z'))).toBe(false);
    expect(iso(nextOpen(closed, at('2024-03-12T12:00:00Z')))).toBe('2024-03-13T09:00:00.000Z');
  });
});

describe('clock changes', () => {
  const sunday = (zone: string, hours: [string, string]): CalendarDocument => ({
    timeZone: zone,
    week: { sun: [hours] },
  });
  test.each([
    [
      'Europe/London spring forward: 01:00–03:00 holds one hour',
      sunday('Europe/London', ['01:00', '03:00']),
      '2025-03-30',
      1 * H,
    ],
    [
      'Europe/London fall back: 00:30–02:30 holds three hours',
      sunday('Europe/London', ['00:30', '02:30']),
      '2025-10-26',
      3 * H,
    ],
    [
      'America/New_York spring forward: 01:00–03:00 holds one hour',
      sunday('America/New_York', ['01:00', '03:00']),
      '2025-03-09',
      1 * H,
    ],
    [
      'America/New_York fall back: 00:30–02:30 holds three hours',
      sunday('America/New_York', ['00:30', '02:30']),
      '2025-11-02',
      3 * H,
    ],
    [
      'Europe/London on an ordinary Sunday',
      sunday('Europe/London', ['00:30', '02:30']),
      '2025-10-19',
      2 * H,
    ],
  ])('%s', (_label, calendar, date, expected) => {
    expect(
      between(
        calendar,
        at(`${date}T00:00:00Z`) - 12 * H * 1000,
        at(`${date}T00:00:00Z`) + 36 * H * 1000,
      ),
    ).toBe(expected);
  });

  const london: CalendarDocument = {
    timeZone: 'Europe/London',
    week: weekdays([['09:00', '18:00']]),
    holidaySets: ['uk:england-and-wales'],
  };
  const newYork: CalendarDocument = {
    timeZone: 'America/New_York',
    week: weekdays([['09:00', '17:00']]),
  };
  test.each([
    [
      'London: Friday in GMT to Monday in BST',
      london,
      '2025-03-28T17:00:00Z',
      2 * H,
      '2025-03-31T09:00:00.000Z',
    ],
    [
      'London: Friday in BST to Monday in GMT',
      london,
      '2025-10-24T16:00:00Z',
      2 * H,
      '2025-10-27T10:00:00.000Z',
    ],
    [
      'London: 17:00 BST is 16:00Z',
      london,
      '2025-06-10T15:30:00Z',
      0.5 * H,
      '2025-06-10T16:00:00.000Z',
    ],
    [
      'New York: weekend of the spring change',
      newYork,
      '2025-03-07T21:30:00Z',
      1 * H,
      '2025-03-10T13:30:00.000Z',
    ],
    [
      'New York: weekend of the autumn change',
      newYork,
      '2025-10-31T20:00:00Z',
      2 * H,
      '2025-11-03T15:00:00.000Z',
    ],
  ])('%s', (_label, calendar, from, seconds, expected) => {
    expect(iso(add(calendar, at(from), seconds))).toBe(expected);
    expect(between(calendar, at(from), at(expected))).toBe(seconds);
  });

  test('the contract calendar (UTC) keeps 09:00–18:00 GMT in summer: 10:00–19:00 on UK clocks', () => {
    expect(isOpen(DEFAULT_CALENDAR, at('2025-07-01T08:30:00Z'))).toBe(false); // 09:30 BST
    expect(isOpen(DEFAULT_CALENDAR, at('2025-07-01T17:30:00Z'))).toBe(true); // 18:30 BST
  });
});

describe('isOpen and nextOpen', () => {
  test.each([
    ['2024-03-12T09:00:00Z', true, '2024-03-12T09:00:00.000Z'],
    ['2024-03-12T17:59:59.999Z', true, '2024-03-12T17:59:59.999Z'],
    ['2024-03-12T18:00:00Z', false, '2024-03-13T09:00:00.000Z'],
    ['2024-03-12T08:59:59Z', false, '2024-03-12T09:00:00.000Z'],
    ['2024-03-16T12:00:00Z', false, '2024-03-18T09:00:00.000Z'],
    ['2024-03-28T18:00:00Z', false, '2024-04-02T09:00:00.000Z'],
  ])('%s: open %s, next open %s', (when, open, next) => {
    expect(isOpen(DEFAULT_CALENDAR, at(when))).toBe(open);
    expect(iso(nextOpen(DEFAULT_CALENDAR, at(when)))).toBe(next);
  });

  test('businessIntervals lists the open ranges', () => {
    expect(
      businessIntervals(
        DEFAULT_CALENDAR,
        at('2024-03-15T16:00:00Z'),
        at('2024-03-18T11:00:00Z'),
      ).map(([a, b]) => [iso(a), iso(b)]),
    ).toEqual([
      ['2024-03-15T16:00:00.000Z', '2024-03-15T18:00:00.000Z'],
      ['2024-03-18T09:00:00.000Z', '2024-03-18T11:00:00.000Z'],
    ]);
  });
});

describe('bad calendars and arguments are refused with what was wrong', () => {
  test.each([
    [{ timeZone: 'Mars/Olympus', week: {} }, 'not an IANA time zone'],
    [{ week: {} }, 'timeZone: required'],
    [{ timeZone: 'UTC' }, 'week: required'],
    [
      { timeZone: 'UTC', week: { mon: [['18:00', '09:00']] } },
      'write a night shift as two intervals',
    ],
    [
      { timeZone: 'UTC', week: { mon: [['09:00', '25:00']] } },
      'not a time between 00:00 and 24:00',
    ],
    [{ timeZone: 'UTC', week: { mon: [['9am', '5pm']] } }, 'not a time of day'],
    [{ timeZone: 'UTC', week: { funday: [] } }, 'unknown day "funday"'],
    [
      { timeZone: 'UTC', week: {}, holidays: ['2024-02-30'] },
      'holidays[0]: "2024-02-30" is not a date',
    ],
    [
      { timeZone: 'UTC', week: {}, holidaySets: ['uk:wales-only'] },
      'unknown holiday set "uk:wales-only"',
    ],
    [
      { timeZone: 'UTC', week: {}, overrides: { '2024-13-01': [] } },
      'overrides: "2024-13-01" is not a date',
    ],
    [{ timeZone: 'UTC', week: {}, colour: 'red' }, 'unknown field(s) colour'],
  ])('%j', (doc, message) => {
    expect(() => parseCalendar(doc)).toThrow(CalendarError);
    expect(() => parseCalendar(doc)).toThrow(message);
  });

  test('negative amounts and calendars with no hours at all', () => {
    expect(() => add(DEFAULT_CALENDAR, at('2024-03-12T10:00:00Z'), -1)).toThrow(
      'seconds: expected a number of seconds ≥ 0',
    );
    const never: CalendarDocument = { timeZone: 'UTC', week: {} };
    expect(() => add(never, at('2024-03-12T10:00:00Z'), 60)).toThrow('no business time');
    expect(() => nextOpen(never, at('2024-03-12T10:00:00Z'))).toThrow('no business time');
    expect(between(never, at('2024-03-12T10:00:00Z'), at('2025-03-12T10:00:00Z'))).toBe(0);
  });
});
