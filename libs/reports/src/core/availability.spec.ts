import { DEFAULT_CALENDAR } from '@app/business-hours';
import { DANISH_OFFICE_HOURS } from '@app/sla';
import { availabilityFigures, workingDaysBetween } from './availability';
import type { MaintenanceFacts } from './facts';
import { quarterPeriod } from './period';
import { DANISH_CONTRACT_TERMS, STANDARD_TERMS } from './terms';
import { at, ticket } from './test-facts';

const window = (
  ref: string,
  start: string,
  end: string,
  announced: string,
  actualEnd = end,
): MaintenanceFacts => ({
  reference: ref,
  start: at(start),
  end: at(end),
  announcedAt: at(announced),
  actualStart: at(start),
  actualEnd: at(actualEnd),
});

describe('availability, standard terms (UTC, whole month, 99.5%)', () => {
  const q4 = quarterPeriod('2026-Q4', 'UTC');
  const run = (over: Partial<Parameters<typeof availabilityFigures>[0]>) =>
    availabilityFigures({
      months: q4.months,
      end: q4.to,
      terms: STANDARD_TERMS,
      calendar: DEFAULT_CALENDAR,
      tickets: [],
      outages: [],
      maintenance: [],
      ...over,
    });

  it("a 31-day month's budget is 223.2 minutes, a 30-day month's 216", () => {
    const r = run({});
    expect(r.months.map((m) => [m.month, m.minutes, m.budgetLeftMinutes, m.availability])).toEqual([
      ['2026-10', 44640, 223.2, 1],
      ['2026-11', 43200, 216, 1],
      ['2026-12', 44640, 223.2, 1],
    ]);
  });

  it('overlapping incidents are not counted twice', () => {
    // A Severity 1 ticket 10:00–12:00 and an outage 11:00–13:00: 180 minutes of downtime.
    const r = run({
      tickets: [
        ticket({ received: '2026-10-10T10:00Z', severity: 1, restored: '2026-10-10T12:00Z' }),
        ticket({ received: '2026-10-10T09:00Z', severity: 2 }),
      ],
      outages: [
        { reference: 'OUT-1', start: at('2026-10-10T11:00Z'), restoredAt: at('2026-10-10T13:00Z') },
      ],
    });
    expect(r.months[0]).toMatchObject({
      downtimeMinutes: 180,
      budgetLeftMinutes: 43.2,
      availability: 1 - 180 / 44640,
    });
    expect(r.incidents.map((i) => [i.reference.slice(0, 3), i.downtimeMinutes])).toEqual([
      ['HD-', 120],
      ['OUT', 120],
    ]);
  });

  it('an incident across a month edge counts in each month; one not restored runs to the end', () => {
    const r = run({
      outages: [
        { reference: 'OUT-1', start: at('2026-10-31T23:00Z'), restoredAt: at('2026-11-01T01:00Z') },
        { reference: 'OUT-2', start: at('2026-12-31T23:00Z'), restoredAt: null },
      ],
    });
    expect(r.months.map((m) => m.downtimeMinutes)).toEqual([60, 60, 60]);
    expect(r.incidents[1]).toMatchObject({ restoredAt: null, downtimeMinutes: 60 });
  });

  it('maintenance overrun: only the announced window is excluded', () => {
    const r = run({
      maintenance: [
        window(
          'MW-1',
          '2026-11-14T02:00Z',
          '2026-11-14T04:00Z',
          '2026-11-01T10:00Z',
          '2026-11-14T05:00Z',
        ),
      ],
      // An outage inside the window is excluded with it; the part after it counts.
      outages: [
        { reference: 'OUT-1', start: at('2026-11-14T03:00Z'), restoredAt: at('2026-11-14T05:30Z') },
      ],
    });
    expect(r.months[1]).toMatchObject({ maintenanceMinutes: 120, downtimeMinutes: 90 });
    expect(r.maintenance[0]).toMatchObject({
      noticeMet: true,
      excludedMinutes: 120,
      downtimeMinutes: 60,
      overCapMinutes: 0,
    });
  });
});

describe('availability, Danish terms (operating time 08–22 Mon–Fri Copenhagen, 99%, notice, cap)', () => {
  const q4 = quarterPeriod('2026-Q4', 'Europe/Copenhagen');
  const run = (maintenance: MaintenanceFacts[]) =>
    availabilityFigures({
      months: q4.months,
      end: q4.to,
      terms: DANISH_CONTRACT_TERMS,
      calendar: DANISH_OFFICE_HOURS,
      tickets: [],
      outages: [],
      maintenance,
    });

  it('measures only operating time: November 2026 has 21 weekdays × 14 h', () => {
    const nov = run([]).months[1];
    expect(nov.minutes).toBe(21 * 14 * 60);
    expect(nov.budgetLeftMinutes).toBeCloseTo(0.01 * 21 * 14 * 60, 6);
  });

  it.each([
    // Announced Mon 9 Nov for Thu 12 Nov: 2 working days between (Tue, Wed): late.
    ['2026-11-09T09:00Z', false],
    // Announced Fri 6 Nov for Thu 12 Nov: Mon, Tue, Wed: in time.
    ['2026-11-06T09:00Z', true],
  ])('notice: announced %s → %p', (announced, met) => {
    // Thu 12 Nov 20:00–23:00 Copenhagen (19:00–22:00Z): 120 minutes inside operating time.
    const r = run([window('MW-1', '2026-11-12T19:00Z', '2026-11-12T22:00Z', announced)]);
    expect(r.maintenance[0].noticeMet).toBe(met);
    expect(r.months[1]).toMatchObject(
      met
        ? { downtimeMinutes: 0, maintenanceMinutes: 120 }
        : { downtimeMinutes: 120, maintenanceMinutes: 0 },
    );
  });

  it('counts working days on the office calendar (Danish holidays are not working days)', () => {
    // Christmas 2026: Thu 24 (juleaften is not a public holiday in the rules?), Fri 25 and Sat 26 are.
    const n = workingDaysBetween(
      DANISH_OFFICE_HOURS,
      at('2026-12-23T09:00Z'),
      at('2026-12-29T09:00Z'),
    );
    expect(n).toBeLessThanOrEqual(2);
  });

  it('a window beyond the monthly cap of 8 hours within operating time counts as downtime', () => {
    // Two announced windows in November: Tue 10 Nov 08:00–14:00 and Wed 11 Nov 08:00–12:00 (Copenhagen, UTC+1): 10 h.
    const r = run([
      window('MW-1', '2026-11-10T07:00Z', '2026-11-10T13:00Z', '2026-11-01T09:00Z'),
      window('MW-2', '2026-11-11T07:00Z', '2026-11-11T11:00Z', '2026-11-01T09:00Z'),
    ]);
    expect(r.months[1]).toMatchObject({ maintenanceMinutes: 480, downtimeMinutes: 120 });
    expect(
      r.maintenance.map((w) => [w.excludedMinutes, w.overCapMinutes, w.downtimeMinutes]),
    ).toEqual([
      [360, 0, 0],
      [120, 120, 120],
    ]);
  });
});
