import { localMidnight, quarterOf, quarterPeriod, ReportInputError } from './period';

describe('quarterPeriod: the quarter in the contract time zone', () => {
  it.each([
    ['2026-Q4', 'UTC', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    // Copenhagen: CEST (+2) on 1 October, CET (+1) on 1 January.
    ['2026-Q4', 'Europe/Copenhagen', '2026-09-30T22:00:00.000Z', '2026-12-31T23:00:00.000Z'],
    ['2026-Q1', 'Europe/Copenhagen', '2025-12-31T23:00:00.000Z', '2026-03-31T22:00:00.000Z'],
    ['2026-Q2', 'UTC', '2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'],
  ])('%s in %s is [%s, %s)', (quarter, zone, from, to) => {
    const p = quarterPeriod(quarter, zone);
    expect(new Date(p.from).toISOString()).toBe(from);
    expect(new Date(p.to).toISOString()).toBe(to);
  });

  it('gives the months with their own edges (October in Copenhagen has 31 days and an hour)', () => {
    const p = quarterPeriod('2026-Q4', 'Europe/Copenhagen');
    expect(p.months.map((m) => m.month)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(new Date(p.months[0].to).toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect((p.months[0].to - p.months[0].from) / 60_000).toBe(31 * 1440 + 60);
    expect((p.months[1].to - p.months[1].from) / 60_000).toBe(30 * 1440);
  });

  it.each(['2026-Q5', '2026Q4', 'Q4-2026', ''])('refuses %p', (q) => {
    expect(() => quarterPeriod(q, 'UTC')).toThrow(ReportInputError);
  });

  it('refuses an unknown zone', () => {
    expect(() => quarterPeriod('2026-Q4', 'Mars/Olympus')).toThrow(ReportInputError);
  });

  it.each([
    ['2026-09-30T22:30:00Z', 'Europe/Copenhagen', '2026-Q4'],
    ['2026-09-30T22:30:00Z', 'UTC', '2026-Q3'],
    ['2026-12-31T23:30:00Z', 'Europe/Copenhagen', '2027-Q1'],
  ])('quarterOf(%s, %s) = %s', (iso, zone, q) => {
    expect(quarterOf(Date.parse(iso), zone)).toBe(q);
  });

  it('local midnight with a day overflow', () => {
    expect(new Date(localMidnight('UTC', 2026, 12, 32)).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });
});
