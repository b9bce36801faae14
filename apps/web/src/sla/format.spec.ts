import { formatDuration, formatInstant, utcToZoned, zonedToUtc } from './format';

describe('times as people read and type them', () => {
  it.each([
    ['2024-03-12T10:15', 'UTC', '2024-03-12T10:15:00.000Z'],
    ['2024-03-12T10:15', 'Europe/London', '2024-03-12T10:15:00.000Z'],
    ['2024-07-12T10:15', 'Europe/London', '2024-07-12T09:15:00.000Z'],
    ['2024-03-12T16:45', 'Europe/Copenhagen', '2024-03-12T15:45:00.000Z'],
    ['2024-11-22T09:00', 'Pacific/Auckland', '2024-11-21T20:00:00.000Z'],
    // the hour after the spring-forward gap resolves to the same instant as the gap's end
    ['2024-03-31T02:30', 'Europe/London', '2024-03-31T01:30:00.000Z'],
  ])('%s on the wall clock of %s is %s', (local, zone, iso) => {
    expect(new Date(zonedToUtc(local, zone)).toISOString()).toBe(iso);
  });

  it('turns an instant back into the wall clock of a zone', () => {
    expect(utcToZoned(Date.parse('2024-03-12T15:45:00Z'), 'Europe/Copenhagen')).toBe(
      '2024-03-12T16:45',
    );
    expect(utcToZoned(Date.parse('2024-11-21T20:00:00Z'), 'Pacific/Auckland')).toBe(
      '2024-11-22T09:00',
    );
  });

  it('refuses what is not a date and time', () => {
    expect(zonedToUtc('12/03/2024 10:15', 'UTC')).toBeNaN();
  });

  it('names the zone with every instant', () => {
    expect(formatInstant(Date.parse('2024-03-12T11:15:00Z'), 'UTC')).toBe(
      'Tue, 12 Mar 2024, 11:15 UTC',
    );
    expect(formatInstant(Date.parse('2024-03-12T11:15:00Z'), 'Pacific/Auckland')).toBe(
      'Wed, 13 Mar 2024, 00:15 GMT+13',
    );
  });

  it('writes durations in hours and minutes, seconds under an hour', () => {
    expect(formatDuration(3725)).toBe('1h 02m');
    expect(formatDuration(125)).toBe('2m 05s');
    expect(formatDuration(-90)).toBe('1m 30s');
    expect(formatDuration(400 * 3600)).toBe('400h');
  });
});
