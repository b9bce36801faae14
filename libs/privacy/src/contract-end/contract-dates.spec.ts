import { addDays, contractPlan, daysBetween, deletionDeadline, isDate } from './contract-dates';

const rules = { deletionAfterDays: 30, warningDays: [30, 7, 1] };

describe('contract dates', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-1-05', false],
    ['tomorrow', false],
  ])('isDate(%s) = %s', (s, ok) => expect(isDate(s)).toBe(ok));

  it('adds and counts days across month and year ends', () => {
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // a clock change in Europe: still 2 days
  });

  it.each([
    ['2026-01-01', null, false],
    ['2026-05-02', { kind: 'contract_end', daysBefore: 30, on: '2026-06-01' }, false],
    ['2026-05-25', { kind: 'contract_end', daysBefore: 7, on: '2026-06-01' }, false],
    ['2026-06-01', { kind: 'contract_end', daysBefore: 1, on: '2026-06-01' }, false],
    ['2026-06-02', { kind: 'deletion', daysBefore: 30, on: '2026-07-01' }, false],
    ['2026-06-30', { kind: 'deletion', daysBefore: 1, on: '2026-07-01' }, false],
    ['2026-07-01', null, true],
    ['2027-01-01', null, true],
  ])('a contract ending 2026-06-01, seen on %s', (today, warning, due) => {
    const plan = contractPlan('2026-06-01', today, rules);
    expect(plan).toEqual({ deletionStartsOn: '2026-07-01', warning, deletionDue: due });
  });
});

describe('deletionDeadline', () => {
  it.each([
    // deletion starts, today, finished → complete by, overdue
    ['2026-07-01', '2026-07-01', false, '2026-07-31', false],
    ['2026-07-01', '2026-07-31', false, '2026-07-31', false],
    ['2026-07-01', '2026-08-01', false, '2026-07-31', true],
    ['2026-07-01', '2026-08-01', true, '2026-07-31', false],
    ['2026-12-15', '2027-01-15', false, '2027-01-14', true],
  ])('starting %s, seen on %s (finished: %s)', (starts, today, finished, completeBy, overdue) => {
    expect(deletionDeadline(starts, today, finished)).toEqual({ completeBy, overdue });
  });
});
