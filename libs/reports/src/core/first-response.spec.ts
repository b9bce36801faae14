import { DEFAULT_CALENDAR } from '@app/business-hours';
import { firstResponseFigures } from './first-response';
import { quarterPeriod } from './period';
import { nearestRank } from './stats';
import { at, ticket } from './test-facts';

const q4 = quarterPeriod('2026-Q4', 'UTC');
const q1 = quarterPeriod('2027-Q1', 'UTC');
const cal = () => DEFAULT_CALENDAR;
const run = (tickets: ReturnType<typeof ticket>[], p = q4, end = p.to) =>
  firstResponseFigures(tickets, p.from, end, cal);

describe('first-response attainment (default calendar: 09–18 UTC weekdays)', () => {
  it('met, breached with overrun, and the medians (hand-worked)', () => {
    const r = run([
      // Tue 6 Oct 10:00, S2 due 14:00, answered 13:00: met after 180 business minutes.
      ticket({
        received: '2026-10-06T10:00Z',
        severity: 2,
        due: '2026-10-06T14:00Z',
        replies: ['2026-10-06T13:00Z'],
      }),
      // S1 due 11:00, answered 12:30: breached, 90 minutes over, 150 to respond.
      ticket({
        received: '2026-10-06T10:00Z',
        severity: 1,
        due: '2026-10-06T11:00Z',
        replies: ['2026-10-06T12:30Z'],
      }),
      // S1 received Fri 17:30, due Mon 09:30, answered Mon 10:00: 30 minutes over, 90 to respond (weekend not counted).
      ticket({
        received: '2026-10-09T17:30Z',
        severity: 1,
        due: '2026-10-12T09:30Z',
        replies: ['2026-10-12T10:00Z'],
      }),
    ]);
    expect(r.bySeverity['2']).toMatchObject({
      met: 1,
      breached: 0,
      attainment: 1,
      medianBusinessMinutes: 180,
    });
    expect(r.bySeverity['1']).toEqual({
      met: 0,
      breached: 2,
      pending: 0,
      attainment: 0,
      medianBusinessMinutes: 90, // 90 (30 on Friday + 60 on Monday) and 150, nearest rank
      p90BusinessMinutes: 150,
      totalOverrunBusinessMinutes: 120,
      maxOverrunBusinessMinutes: 90,
    });
    expect(r.bySeverity['3'].attainment).toBeNull();
    expect(r.overall).toMatchObject({ met: 1, breached: 2, attainment: 1 / 3 });
  });

  it('a target decided in the next quarter is pending in this one and counts once, in the next', () => {
    // Thu 31 Dec 16:00, S3 (8 h): 2 h that day, 1 Jan is a holiday, due Mon 4 Jan 15:00; answered 10:00.
    const t = ticket({
      received: '2026-12-31T16:00Z',
      severity: 3,
      due: '2027-01-04T15:00Z',
      replies: ['2027-01-04T10:00Z'],
    });
    const inQ4 = run([t]);
    expect(inQ4.overall).toMatchObject({ met: 0, breached: 0, pending: 1, attainment: null });
    const inQ1 = run([t], q1);
    expect(inQ1.overall).toMatchObject({
      met: 1,
      breached: 0,
      pending: 0,
      medianBusinessMinutes: 180,
    });
  });

  it('a breach at the due time counts when the due time passes, even if the reply comes next quarter', () => {
    const t = ticket({
      received: '2026-12-31T16:00Z',
      severity: 1,
      due: '2026-12-31T17:00Z',
      replies: ['2027-01-04T10:00Z'],
    });
    expect(run([t]).bySeverity['1']).toMatchObject({
      breached: 1,
      pending: 0,
      medianBusinessMinutes: null,
      totalOverrunBusinessMinutes: 60,
    });
    expect(run([t], q1).overall).toMatchObject({ met: 0, breached: 0, pending: 0 });
  });

  it('a re-classified ticket counts with the severity its decision was timed against', () => {
    // Received S3 at 10:00, re-classified to S1 at 10:20 (due from receipt: 11:00), answered 11:30.
    const t = ticket({
      received: '2026-10-06T10:00Z',
      severity: 1,
      severityChanges: [['2026-10-06T10:20Z', 3, 1]],
      due: '2026-10-06T11:00Z',
      replies: ['2026-10-06T11:30Z'],
    });
    // Re-classified to S2 after the answer: the decision keeps S1.
    const later = ticket({
      received: '2026-10-06T10:00Z',
      severity: 2,
      severityChanges: [['2026-10-07T10:00Z', 1, 2]],
      due: '2026-10-06T11:00Z',
      replies: ['2026-10-06T10:30Z'],
    });
    const r = run([t, later]);
    expect(r.bySeverity['1']).toMatchObject({ met: 1, breached: 1, maxOverrunBusinessMinutes: 30 });
    expect(r.bySeverity['3'].breached + r.bySeverity['2'].met).toBe(0);
    expect(r.reclassified).toBe(2);
  });

  it('a ticket closed before its due time without a reply is not counted; after it, it is a breach', () => {
    const abandoned = ticket({
      received: '2026-10-06T10:00Z',
      severity: 2,
      due: '2026-10-06T14:00Z',
      stopped: '2026-10-06T12:00Z',
    });
    const late = ticket({
      received: '2026-10-06T10:00Z',
      severity: 2,
      due: '2026-10-06T14:00Z',
      stopped: '2026-10-06T15:00Z',
    });
    expect(run([abandoned, late]).overall).toMatchObject({
      met: 0,
      breached: 1,
      pending: 0,
      totalOverrunBusinessMinutes: 60,
    });
  });

  it('in a draft (cut-off inside the quarter) a running target is pending', () => {
    const t = ticket({ received: '2026-10-06T10:00Z', severity: 3, due: '2026-10-06T18:00Z' });
    expect(run([t], q4, at('2026-10-06T12:00Z')).overall.pending).toBe(1);
    expect(run([t], q4, at('2026-10-06T19:00Z')).overall).toMatchObject({
      pending: 0,
      breached: 1,
    });
  });
});

describe('nearestRank', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[30, 10, 20], 0.5, 20],
    [[30, 10, 20], 0.9, 30],
    [[7], 0.9, 7],
    [[], 0.5, null],
  ])('%p at %p = %p', (values, p, want) => expect(nearestRank(values, p)).toBe(want));
});
