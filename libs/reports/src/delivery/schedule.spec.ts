import { DEFAULT_CALENDAR, type CalendarDocument } from '@app/business-hours';
import { deliveryDueAt, quarterDue } from './schedule';

const DANISH: CalendarDocument = {
  timeZone: 'Europe/Copenhagen',
  week: {
    mon: [['08:00', '17:00']],
    tue: [['08:00', '17:00']],
    wed: [['08:00', '17:00']],
    thu: [['08:00', '17:00']],
    fri: [['08:00', '17:00']],
  },
  holidaySets: ['dk'],
};
const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('delivery on the first business day after the quarter', () => {
  it.each([
    // 2026-10-01 is a Thursday: delivered at opening time that day
    [DEFAULT_CALENDAR, '2026-Q3', '2026-10-01T09:00:00.000Z'],
    // 2027-01-01 is a bank holiday (Friday): Monday 4 January
    [DEFAULT_CALENDAR, '2026-Q4', '2027-01-04T09:00:00.000Z'],
    // Denmark: 1 January closed, Monday 4 January 08:00 Copenhagen (07:00Z)
    [DANISH, '2026-Q4', '2027-01-04T07:00:00.000Z'],
    // Summer time in Copenhagen: 08:00 is 06:00Z
    [DANISH, '2027-Q1', '2027-04-01T06:00:00.000Z'],
    // 2026-01-01 (Thursday) is a bank holiday, Friday the 2nd is not (England and Wales)
    [DEFAULT_CALENDAR, '2025-Q4', '2026-01-02T09:00:00.000Z'],
  ])('case %#: the quarter is delivered at the right time', (cal, q, due) => {
    expect(iso(deliveryDueAt(cal, q))).toBe(due);
  });

  it('names the quarter due once its delivery time has come, and the one before until then', () => {
    expect(quarterDue(DEFAULT_CALENDAR, at('2027-01-02T12:00:00Z'))).toEqual({
      quarter: '2026-Q3',
      dueAt: at('2026-10-01T09:00:00Z'),
    });
    expect(quarterDue(DEFAULT_CALENDAR, at('2027-01-04T08:59:59Z'))?.quarter).toBe('2026-Q3');
    expect(quarterDue(DEFAULT_CALENDAR, at('2027-01-04T09:00:00Z'))).toEqual({
      quarter: '2026-Q4',
      dueAt: at('2027-01-04T09:00:00Z'),
    });
    expect(quarterDue(DEFAULT_CALENDAR, at('2026-12-03T10:00:00Z'))?.quarter).toBe('2026-Q3');
  });
});
