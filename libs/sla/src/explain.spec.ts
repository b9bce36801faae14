import {
  DANISH_TERMS,
  explainTarget,
  formatDuration,
  parsePolicy,
  PolicyError,
  STANDARD_SUPPORT,
} from '.';

describe('explainTarget tells a support manager why a target is due when it is', () => {
  test('over a weekend', () => {
    const { dueAt, steps } = explainTarget(
      STANDARD_SUPPORT,
      2,
      'first_response',
      Date.parse('2024-03-15T16:00:00Z'),
    );
    expect(new Date(dueAt).toISOString()).toBe('2024-03-18T11:00:00.000Z');
    expect(steps).toEqual([
      'Received Fri 15 Mar 2024 16:00 (UTC) with severity 2: first response within 4 h of business time under "Standard support".',
      'Fri 15 Mar 2024: 2 h counted (16:00–18:00), 2 h left.',
      'Sat 16 Mar 2024 – Sun 17 Mar 2024: nothing counted (closed).',
      'Mon 18 Mar 2024: 2 h counted (09:00–11:00).',
      'Due Mon 18 Mar 2024 11:00 (UTC).',
    ]);
  });

  test('over Easter, naming the bank holidays', () => {
    const { steps } = explainTarget(
      STANDARD_SUPPORT,
      3,
      'first_response',
      Date.parse('2024-03-28T12:00:00Z'),
    );
    expect(steps[2]).toBe(
      'Fri 29 Mar 2024 – Mon 1 Apr 2024: nothing counted (Good Friday, closed, Easter Monday).',
    );
    expect(steps[steps.length - 1]).toBe('Due Tue 2 Apr 2024 11:00 (UTC).');
  });

  test('received outside business hours, in the calendar’s own zone', () => {
    const { steps } = explainTarget(
      DANISH_TERMS,
      1,
      'first_response',
      Date.parse('2024-03-15T16:00:00Z'),
    );
    expect(steps).toEqual([
      'Received Fri 15 Mar 2024 17:00 (Europe/Copenhagen) with severity 1: first response within 30 min of business time under "Danish terms (priority 1–3)".',
      'Outside business hours: the clock starts at Mon 18 Mar 2024 08:00.',
      'Fri 15 Mar 2024 – Sun 17 Mar 2024: nothing counted (after business hours, closed).',
      'Mon 18 Mar 2024: 30 min counted (08:00–08:30).',
      'Due Mon 18 Mar 2024 08:30 (Europe/Copenhagen).',
    ]);
  });

  test('a metric the policy does not have', () => {
    expect(() => explainTarget(STANDARD_SUPPORT, 1, 'resolution', 0)).toThrow(
      'has no resolution target for severity 1',
    );
  });

  test.each([
    [3600, '1 h'],
    [1800, '30 min'],
    [8100, '2 h 15 min'],
    [45, '45 s'],
    [0, '0 min'],
  ])('formatDuration(%i) = %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});

describe('parsePolicy', () => {
  const valid = {
    name: 'Gold',
    calendar: { timeZone: 'Europe/London', week: { mon: [['09:00', '17:00']] } },
    targets: { 1: [{ metric: 'first_response', seconds: 1800 }], 2: [], 3: [] },
    alarms: { warningFraction: 0.5 },
    escalateOnBreach: true,
  };
  test('accepts a policy and fills in defaults', () => {
    const policy = parsePolicy(valid);
    expect(policy.targets[1]).toEqual([
      { metric: 'first_response', seconds: 1800, clock: 'business' },
    ]);
    expect(policy.alarms.warningFraction).toBe(0.5);
  });
  test.each([
    [{ ...valid, name: '' }, 'name: required'],
    [
      { ...valid, calendar: { timeZone: 'Nowhere', week: {} } },
      'calendar: timeZone: "Nowhere" is not an IANA time zone',
    ],
    [
      { ...valid, targets: { 1: [{ metric: 'lunch', seconds: 1 }] } },
      'targets.1[0].metric: expected one of',
    ],
    [
      { ...valid, targets: { 1: [{ metric: 'first_response', seconds: -5 }] } },
      'targets.1[0].seconds: expected a number of seconds > 0',
    ],
    [{ ...valid, alarms: { warningFraction: 1.5 } }, 'alarms.warningFraction'],
  ])('refuses %j', (doc, message) => {
    expect(() => parsePolicy(doc)).toThrow(PolicyError);
    expect(() => parsePolicy(doc)).toThrow(message);
  });
});
