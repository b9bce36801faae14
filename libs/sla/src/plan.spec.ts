import { DANISH_TERMS, planTargets, STANDARD_SUPPORT, type Severity } from '.';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('Standard support: sla-rules.md §4 worked examples', () => {
  test.each([
    ['2024-03-12T10:15:00Z', 1, '2024-03-12T11:15:00.000Z', '2024-03-12T11:00:00.000Z'],
    ['2024-03-12T17:30:00Z', 1, '2024-03-13T09:30:00.000Z', '2024-03-13T09:15:00.000Z'],
    ['2024-03-12T18:00:00Z', 1, '2024-03-13T10:00:00.000Z', '2024-03-13T09:45:00.000Z'],
    ['2024-03-12T08:59:00Z', 1, '2024-03-12T10:00:00.000Z', '2024-03-12T09:45:00.000Z'],
    ['2024-03-16T11:00:00Z', 1, '2024-03-18T10:00:00.000Z', '2024-03-18T09:45:00.000Z'],
    ['2024-03-15T16:00:00Z', 2, '2024-03-18T11:00:00.000Z', '2024-03-18T10:00:00.000Z'],
    ['2024-03-28T12:00:00Z', 3, '2024-04-02T11:00:00.000Z', '2024-03-28T18:00:00.000Z'], // 6 h used up at closing time
    ['2024-12-24T15:00:00Z', 3, '2024-12-27T14:00:00.000Z', '2024-12-27T12:00:00.000Z'],
    ['2026-12-24T17:00:00Z', 3, '2026-12-29T16:00:00.000Z', '2026-12-29T14:00:00.000Z'],
  ])(
    'received %s with severity %i: due %s, warning (75%%) %s',
    (received, severity, due, warning) => {
      const [target] = planTargets(STANDARD_SUPPORT, severity as Severity, Date.parse(received));
      expect(target.metric).toBe('first_response');
      expect(iso(target.dueAt)).toBe(due);
      expect(iso(target.warningAt)).toBe(warning);
    },
  );
});

describe('Danish terms: work begun within ½, 2 and 8 hours of office time (08:00–17:00 Copenhagen)', () => {
  test.each([
    // Winter (CET, UTC+1): 09:00 local is 08:00Z.
    ['2024-03-12T08:00:00Z', 1, '2024-03-12T08:30:00.000Z'],
    ['2024-03-15T15:45:00Z', 1, '2024-03-18T07:15:00.000Z'], // Fri 16:45 local → Mon 08:15 local
    // Summer (CEST, UTC+2), after the change on 2024-03-31.
    ['2024-04-02T14:00:00Z', 2, '2024-04-03T07:00:00.000Z'], // Tue 16:00 local → Wed 09:00 local
    // Maundy Thursday, Good Friday and Easter Monday 2024 (28 Mar, 29 Mar, 1 Apr) are Danish holidays.
    ['2024-03-27T15:00:00Z', 3, '2024-04-02T13:00:00.000Z'], // Wed 16:00 local: 1 h; Tue 2 Apr 08:00–15:00 CEST: 7 h
  ])('received %s with priority %i: due %s', (received, severity, due) => {
    const [target] = planTargets(DANISH_TERMS, severity as Severity, Date.parse(received));
    expect(iso(target.dueAt)).toBe(due);
  });
});

describe('several kinds of target on one policy', () => {
  test('calendar-time targets count around the clock; no warning when the plan has none', () => {
    const policy = {
      ...STANDARD_SUPPORT,
      targets: {
        ...STANDARD_SUPPORT.targets,
        1: [
          { metric: 'first_response' as const, seconds: 3600, clock: 'business' as const },
          { metric: 'resolution' as const, seconds: 24 * 3600, clock: 'calendar' as const },
        ],
      },
      alarms: { warningFraction: null },
    };
    const targets = planTargets(policy, 1, Date.parse('2024-03-16T11:00:00Z'));
    expect(targets.map((t) => [t.metric, iso(t.dueAt), t.warningAt])).toEqual([
      ['first_response', '2024-03-18T10:00:00.000Z', null],
      ['resolution', '2024-03-17T11:00:00.000Z', null],
    ]);
  });
});
