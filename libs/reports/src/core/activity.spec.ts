import { DEFAULT_CALENDAR } from '@app/business-hours';
import { activityFigures } from './activity';
import { ageBucket, backlogFigures } from './backlog';
import { quarterPeriod } from './period';
import { at, ticket } from './test-facts';

const q4 = quarterPeriod('2026-Q4', 'UTC');
const cal = () => DEFAULT_CALENDAR;
const asOf = at('2027-02-01T00:00Z');

describe('activity', () => {
  it('counts created by severity, channel and highest level; escalations', () => {
    const tickets = [
      ticket({
        received: '2026-10-06T10:00Z',
        severity: 1,
        channel: 'phone',
        levels: [
          ['2026-10-06T11:00Z', 1, 3],
          ['2026-10-07T11:00Z', 3, 2],
        ],
      }),
      ticket({ received: '2026-10-06T10:00Z', severity: 2, channel: 'email' }),
      ticket({
        received: '2026-12-31T23:59Z',
        severity: 3,
        channel: 'chat',
        levels: [['2027-01-04T10:00Z', 1, 2]],
      }),
      ticket({ received: '2026-09-30T23:59Z', severity: 3, channel: 'web' }), // Q3
    ];
    const { counts } = activityFigures(tickets, q4.from, q4.to, asOf, cal);
    expect(counts.created).toEqual({
      total: 3,
      bySeverity: { '1': 1, '2': 1, '3': 1 },
      byChannel: { email: 1, web: 0, phone: 1, chat: 1, api: 0 },
      bySupportLevel: { '1': 1, '2': 1, '3': 1 },
    });
    expect(counts.escalated).toBe(2);
    expect(counts.escalationRate).toBeCloseTo(2 / 3);
  });

  it('resolution time excludes the time waiting on the customer; reopened within 14 days', () => {
    // Tue 10:00 received, pending 11:00–13:00, resolved 15:00: 5 h − 2 h = 180 business minutes.
    const waited = ticket({
      received: '2026-10-06T10:00Z',
      status: [
        ['2026-10-06T10:30Z', 'new', 'open'],
        ['2026-10-06T11:00Z', 'open', 'pending'],
        ['2026-10-06T13:00Z', 'pending', 'open'],
        ['2026-10-06T15:00Z', 'open', 'resolved'],
      ],
    });
    // Resolved Wed 7 Oct 10:00, reopened 8 days later, closed again.
    const reopened = ticket({
      received: '2026-10-06T09:00Z',
      status: [
        ['2026-10-07T10:00Z', 'new', 'resolved'],
        ['2026-10-15T10:00Z', 'resolved', 'open'],
        ['2026-10-15T12:00Z', 'open', 'closed'],
      ],
    });
    // Resolved, reopened after 20 days: not "reopened within 14 days".
    const lateReopen = ticket({
      received: '2026-10-06T09:00Z',
      status: [
        ['2026-10-06T10:00Z', 'new', 'resolved'],
        ['2026-10-26T10:00Z', 'resolved', 'open'],
      ],
    });
    const { counts, resolved } = activityFigures(
      [waited, reopened, lateReopen],
      q4.from,
      q4.to,
      asOf,
      cal,
    );
    expect(counts.resolved).toBe(3);
    expect(resolved.find((r) => r.ticket === waited)!.businessMinutes).toBe(180);
    expect(counts.reopened).toBe(1);
    expect(counts.reopenRate).toBe(1 / 3);
    // The reopened one counts with its last resolution (Thu 15 Oct 12:00): 7 days × 9 h + 3 h.
    expect(resolved.find((r) => r.ticket === reopened)!.businessMinutes).toBe((7 * 9 + 3) * 60);
    // 60, 180, 3960: nearest-rank median and p90.
    expect(counts.resolution).toEqual({ medianBusinessMinutes: 180, p90BusinessMinutes: 3960 });
  });
});

describe('backlog', () => {
  it.each([
    [0, '0-2'],
    [2, '0-2'],
    [3, '3-7'],
    [7, '3-7'],
    [8, '8-30'],
    [30, '8-30'],
    [31, '>30'],
  ])('%p days old is %p', (days, bucket) => expect(ageBucket(days)).toBe(bucket));

  it('open at the start and at the end, the end backlog by age', () => {
    const tickets = [
      // Open at the start, resolved 10 Oct.
      ticket({
        received: '2026-09-20T10:00Z',
        status: [['2026-10-10T10:00Z', 'open', 'resolved']],
      }),
      // Open at the end: 31 days old on 1 January (received 1 Dec 00:00).
      ticket({ received: '2026-12-01T00:00Z', severity: 1 }),
      ticket({ received: '2026-12-30T12:00Z', severity: 2 }),
      // Resolved before the end, reopened after it: not in the end backlog.
      ticket({
        received: '2026-12-01T10:00Z',
        status: [
          ['2026-12-02T10:00Z', 'open', 'resolved'],
          ['2027-01-05T10:00Z', 'resolved', 'open'],
        ],
      }),
    ];
    const b = backlogFigures(tickets, q4.from, q4.to);
    expect(b.start).toBe(1);
    expect(b.end).toBe(2);
    expect(b.ageBuckets['>30']).toEqual({ total: 1, bySeverity: { '1': 1, '2': 0, '3': 0 } });
    expect(b.ageBuckets['0-2']).toEqual({ total: 1, bySeverity: { '1': 0, '2': 1, '3': 0 } });
    expect(b.oldest.map((o) => o.ageDays)).toEqual([31, 1]);
  });
});
