import { computeReport } from './report';
import { facts, ticket } from './test-facts';

describe('first response per month (the chart of met against breached per severity)', () => {
  const report = computeReport(
    facts({
      quarter: '2026-Q4',
      tickets: [
        // received in September, answered in time in October: counts in October
        ticket({
          received: '2026-09-30T17:00:00Z',
          severity: 3,
          due: '2026-10-01T16:00:00Z',
          replies: ['2026-10-01T10:00:00Z'],
        }),
        // breached in October at its due time, answered in November: counts in October
        ticket({
          received: '2026-10-30T10:00:00Z',
          severity: 1,
          due: '2026-10-30T11:00:00Z',
          replies: ['2026-11-02T10:00:00Z'],
        }),
        // met in November
        ticket({
          received: '2026-11-10T10:00:00Z',
          severity: 2,
          due: '2026-11-10T14:00:00Z',
          replies: ['2026-11-10T11:00:00Z'],
        }),
        // re-classified from 3 to 2 before its decision in December: counts as severity 2
        ticket({
          received: '2026-12-01T10:00:00Z',
          severity: 2,
          severityChanges: [['2026-12-01T10:05:00Z', 3, 2]],
          due: '2026-12-01T14:00:00Z',
          replies: ['2026-12-01T15:00:00Z'],
        }),
        // decided after the quarter (due in January): pending, in no month
        ticket({ received: '2026-12-31T17:30:00Z', severity: 3, due: '2027-01-04T16:30:00Z' }),
      ],
    }),
  ).report;

  it('counts each target in the month of its decision, with the severity then in force', () => {
    expect(report.firstResponse.byMonth).toEqual([
      {
        month: '2026-10',
        bySeverity: {
          '1': { met: 0, breached: 1 },
          '2': { met: 0, breached: 0 },
          '3': { met: 1, breached: 0 },
        },
      },
      {
        month: '2026-11',
        bySeverity: {
          '1': { met: 0, breached: 0 },
          '2': { met: 1, breached: 0 },
          '3': { met: 0, breached: 0 },
        },
      },
      {
        month: '2026-12',
        bySeverity: {
          '1': { met: 0, breached: 0 },
          '2': { met: 0, breached: 1 },
          '3': { met: 0, breached: 0 },
        },
      },
    ]);
  });

  it('adds up to the quarter per severity', () => {
    for (const s of ['1', '2', '3'] as const) {
      const months = report.firstResponse.byMonth.map((m) => m.bySeverity[s]);
      expect(months.reduce((a, m) => a + m.met, 0)).toBe(report.firstResponse.bySeverity[s].met);
      expect(months.reduce((a, m) => a + m.breached, 0)).toBe(
        report.firstResponse.bySeverity[s].breached,
      );
    }
    expect(report.firstResponse.overall.pending).toBe(1);
  });
});
