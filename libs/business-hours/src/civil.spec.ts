import { civilFromDay, dayFromCivil, dayFromIsoDate, parseIsoInstant, weekdayOfDay } from './civil';

describe('parseIsoInstant', () => {
  test.each([
    ['2024-03-12T10:15:00Z', '2024-03-12T10:15:00.000Z'],
    ['2024-03-12T10:15Z', '2024-03-12T10:15:00.000Z'],
    ['2024-03-12T10:15:00.5Z', '2024-03-12T10:15:00.500Z'],
    ['2024-03-12T11:15:00+01:00', '2024-03-12T10:15:00.000Z'],
    ['2024-03-12T05:45:00-0430', '2024-03-12T10:15:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('%s is %s', (text, expected) => {
    expect(new Date(parseIsoInstant(text)!).toISOString()).toBe(expected);
  });

  test.each([
    '2024-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2024-03-12T24:00:00Z',
    '2024-03-12T10:60:00Z',
    '2024-03-12T10:00:00',
    '2024-03-12',
    'yesterday',
  ])('%s is refused', (text) => expect(parseIsoInstant(text)).toBeNull());
});

test('day numbers round-trip through civil dates, and 1970-01-01 was a Thursday', () => {
  for (let day = -800_000; day < 3_000_000; day += 997) {
    const { year, month, day: d } = civilFromDay(day);
    expect(dayFromCivil(year, month, d)).toBe(day);
  }
  expect(weekdayOfDay(0)).toBe(3);
  expect(dayFromIsoDate('1970-01-01')).toBe(0);
});
