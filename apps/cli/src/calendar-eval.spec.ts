import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { evaluateLine } from './calendar-eval';

const CONTRACT = {
  timeZone: 'UTC',
  week: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
  holidaySets: ['uk:england-and-wales'],
};
const line = (o: object) => JSON.stringify(o);

describe('calendar eval, one line at a time', () => {
  test.each([
    [
      { op: 'add', calendar: CONTRACT, from: '2026-12-24T17:00:00Z', seconds: 28800 },
      { result: '2026-12-29T16:00:00.000Z' },
    ],
    [
      { op: 'add', calendar: CONTRACT, from: '2024-03-12T11:15:00+01:00', seconds: 3600 },
      { result: '2024-03-12T11:15:00.000Z' },
    ],
    [
      {
        op: 'between',
        calendar: CONTRACT,
        from: '2024-03-15T16:00:00Z',
        to: '2024-03-18T11:00:00Z',
      },
      { seconds: 14400 },
    ],
    [
      {
        op: 'between',
        calendar: CONTRACT,
        from: '2024-03-18T11:00:00Z',
        to: '2024-03-15T16:00:00Z',
      },
      { seconds: -14400 },
    ],
    [{ op: 'isOpen', calendar: CONTRACT, at: '2024-03-12T18:00:00Z' }, { open: false }],
    [
      { op: 'nextOpen', calendar: CONTRACT, at: '2024-03-16T11:00:00Z' },
      { result: '2024-03-18T09:00:00.000Z' },
    ],
    [
      { op: 'divide', calendar: CONTRACT },
      { error: 'op: expected "add", "between", "isOpen" or "nextOpen", got "divide"' },
    ],
    [
      { op: 'add', calendar: CONTRACT, from: '2024-03-12 10:00', seconds: 1 },
      { error: 'from: expected an ISO 8601 instant with Z or an offset, got "2024-03-12 10:00"' },
    ],
    [
      { op: 'add', calendar: CONTRACT, from: '2024-02-30T10:00:00Z', seconds: 1 },
      { error: 'from: "2024-02-30T10:00:00Z" is not a real date and time' },
    ],
    [
      { op: 'add', calendar: CONTRACT, from: '2024-03-12T10:00:00Z', seconds: -1 },
      { error: 'seconds: expected a number ≥ 0, got -1' },
    ],
    [
      {
        op: 'isOpen',
        calendar: { ...CONTRACT, timeZone: 'Moon/Base' },
        at: '2024-03-12T10:00:00Z',
      },
      { error: 'timeZone: "Moon/Base" is not an IANA time zone' },
    ],
  ])('%j', (request, expected) => {
    expect(evaluateLine(line(request))).toEqual(expected);
  });

  test('a line that is not JSON', () => {
    expect(evaluateLine('{"op":')).toEqual({ error: 'not a JSON object' });
    expect(evaluateLine('[1,2]')).toEqual({ error: 'not a JSON object' });
  });
});

test('npm run -s cli -- calendar eval answers 10,000 lines in order, bad lines included', () => {
  const input: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    if (i % 1000 === 7) input.push('not json');
    else
      input.push(
        line({
          op: 'add',
          calendar: CONTRACT,
          from: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
          seconds: 3600 * (1 + (i % 8)),
        }),
      );
  }
  const run = spawnSync('npm', ['run', '-s', 'cli', '--', 'calendar', 'eval'], {
    cwd: join(__dirname, '..', '..', '..'),
    input: input.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.status).toBe(0);
  const output = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(output).toHaveLength(10_000);
  expect(output[7]).toEqual({ error: 'not a JSON object' });
  // 2024-01-01 is New Year's Day: line 0 (00:00) + 1 h is due Tue 2 Jan 10:00.
  expect(output[0]).toEqual({ result: '2024-01-02T10:00:00.000Z' });
  expect(output[9999]).toEqual(evaluateLine(input[9999]));
});
