import { evaluateTarget, STANDARD_SUPPORT, type ClockEvent, type TargetRule } from '.';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const H = 3600;
const rule = (seconds: number): TargetRule => ({
  metric: 'first_response',
  seconds,
  clock: 'business',
});
const start = (when: string): ClockEvent => ({ type: 'start', at: at(when) });

describe('the clock of one target', () => {
  test.each([
    [
      'running, half used',
      [start('2024-03-12T10:15:00Z')],
      '2024-03-12T10:45:00Z',
      'running',
      '2024-03-12T11:15:00.000Z',
      1800,
      1800,
    ],
    [
      'running overnight: nothing counts while closed',
      [start('2024-03-12T17:30:00Z')],
      '2024-03-13T08:00:00Z',
      'running',
      '2024-03-13T09:30:00.000Z',
      1800,
      1800,
    ],
    [
      'breached, by 15 business minutes',
      [start('2024-03-12T10:15:00Z')],
      '2024-03-12T11:30:00Z',
      'breached',
      '2024-03-12T11:15:00.000Z',
      4500,
      -900,
    ],
    [
      'met by a reply before the due time',
      [start('2024-03-12T10:15:00Z'), { type: 'stop', at: at('2024-03-12T11:00:00Z') }],
      '2024-03-14T00:00:00Z',
      'met',
      '2024-03-12T11:15:00.000Z',
      2700,
      900,
    ],
    [
      'met by a reply at the due time itself',
      [start('2024-03-12T10:15:00Z'), { type: 'stop', at: at('2024-03-12T11:15:00Z') }],
      '2024-03-14T00:00:00Z',
      'met',
      '2024-03-12T11:15:00.000Z',
      3600,
      0,
    ],
    [
      'replied after closing when due at closing: breached',
      [start('2024-03-12T17:00:00Z'), { type: 'stop', at: at('2024-03-12T19:00:00Z') }],
      '2024-03-14T00:00:00Z',
      'breached',
      '2024-03-12T18:00:00.000Z',
      3600,
      0,
    ],
  ])('%s', (_label, events, now, state, due, used, left) => {
    const status = evaluateTarget(STANDARD_SUPPORT, rule(H), events as ClockEvent[], at(now));
    expect([status.state, iso(status.dueAt), status.usedSeconds, status.leftSeconds]).toEqual([
      state,
      due,
      used,
      left,
    ]);
  });

  test('a pause stops the count and leaves the due time open until the clock resumes', () => {
    const events: ClockEvent[] = [
      start('2024-03-12T10:00:00Z'),
      { type: 'pause', at: at('2024-03-12T10:30:00Z') },
    ];
    const paused = evaluateTarget(STANDARD_SUPPORT, rule(H), events, at('2024-03-13T15:00:00Z'));
    expect([paused.state, paused.dueAt, paused.usedSeconds]).toEqual(['paused', null, 1800]);
    events.push({ type: 'resume', at: at('2024-03-13T15:00:00Z') });
    const resumed = evaluateTarget(STANDARD_SUPPORT, rule(H), events, at('2024-03-13T15:10:00Z'));
    expect([
      resumed.state,
      iso(resumed.dueAt),
      iso(resumed.warningAt),
      resumed.usedSeconds,
    ]).toEqual(['running', '2024-03-13T15:30:00.000Z', '2024-03-13T15:15:00.000Z', 2400]);
  });
});

describe('re-classification recomputes from the original start', () => {
  const received = '2024-03-12T10:00:00Z';
  test.each([
    // Severity 3 (8 h) → 1 (1 h) at 10:30: due 11:00, not 11:30.
    [
      'upgrade 8 h → 1 h, still in time',
      8 * H,
      1 * H,
      '2024-03-12T10:30:00Z',
      '2024-03-12T10:40:00Z',
      'running',
      '2024-03-12T11:00:00.000Z',
    ],
    // Upgrade at 14:00 makes the ticket breached at once (due 11:00 from the original receipt).
    [
      'upgrade 8 h → 1 h, breached at once',
      8 * H,
      1 * H,
      '2024-03-12T14:00:00Z',
      '2024-03-12T14:00:00Z',
      'breached',
      '2024-03-12T11:00:00.000Z',
    ],
    // Severity 1 → 3 at 10:30: due moves to 10:00 + 8 h = 18:00.
    [
      'downgrade 1 h → 8 h',
      1 * H,
      8 * H,
      '2024-03-12T10:30:00Z',
      '2024-03-12T12:00:00Z',
      'running',
      '2024-03-12T18:00:00.000Z',
    ],
    // A breached severity 1 re-classified to 3 is no longer breached.
    [
      'downgrade of a breached target',
      1 * H,
      8 * H,
      '2024-03-12T12:00:00Z',
      '2024-03-12T12:00:00Z',
      'running',
      '2024-03-12T18:00:00.000Z',
    ],
  ])('%s', (_label, before, after, changedAt, now, state, due) => {
    const events: ClockEvent[] = [
      start(received),
      { type: 'retarget', at: at(changedAt), seconds: after },
    ];
    const status = evaluateTarget(STANDARD_SUPPORT, rule(before), events, at(now));
    expect([status.state, iso(status.dueAt), status.targetSeconds]).toEqual([state, due, after]);
  });
});

test('events out of order are replayed in time order; a clock must start first', () => {
  const events: ClockEvent[] = [
    { type: 'stop', at: at('2024-03-12T11:00:00Z') },
    start('2024-03-12T10:00:00Z'),
  ];
  expect(evaluateTarget(STANDARD_SUPPORT, rule(H), events, at('2024-03-12T12:00:00Z')).state).toBe(
    'met',
  );
  expect(() => evaluateTarget(STANDARD_SUPPORT, rule(H), [{ type: 'pause', at: 0 }], 0)).toThrow(
    'the first event must be the start',
  );
});
