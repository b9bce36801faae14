import {
  addMonths,
  applyClockTriggers,
  initialRounds,
  parsePolicy,
  rulesFor,
  STANDARD_SUPPORT,
  warningSecondsOf,
  type ClockTrigger,
  type SlaPolicy,
  type TargetRound,
  type TicketKind,
} from '.';

const H = 3600;
const at = (iso: string) => Date.parse(iso);
const hhmm = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(5, 16));

/** Standard hours (09:00–18:00 UTC weekdays) with every kind of target on severity 2. */
const POLICY: SlaPolicy = {
  ...STANDARD_SUPPORT,
  targets: {
    ...STANDARD_SUPPORT.targets,
    2: [
      { metric: 'first_response', seconds: 1 * H, clock: 'business' },
      { metric: 'next_response', seconds: 2 * H, clock: 'business' },
      {
        metric: 'periodic_update',
        seconds: 4 * H,
        clock: 'business',
        warning: { beforeSeconds: 1800 },
      },
      { metric: 'resolution', seconds: 8 * H, clock: 'business', warning: { fraction: 0.5 } },
    ],
  },
};
const RECEIVED = at('2024-03-12T10:00:00Z'); // Tuesday
const rules = rulesFor(POLICY, 2);

/** One line a round: metric#round state due warning. */
const show = (rounds: TargetRound[]) =>
  rounds
    .map((r) => `${r.metric}#${r.round} ${r.state} ${hhmm(r.dueAt)} ${hhmm(r.warningAt)}`)
    .sort();

const run = (
  triggers: ClockTrigger[],
  status = 'new',
  start = initialRounds(POLICY, rules, RECEIVED),
) => applyClockTriggers({ policy: POLICY, rules, receivedAt: RECEIVED, status }, start, triggers);

const reply = (iso: string): ClockTrigger => ({ type: 'staff_reply', at: at(iso) });
const customer = (iso: string): ClockTrigger => ({ type: 'customer_message', at: at(iso) });
const status = (from: string, to: string, iso: string): ClockTrigger => ({
  type: 'status',
  from,
  to,
  at: at(iso),
});

describe('a ticket starts with every target but next response, from receipt', () => {
  test('first response, periodic update and resolution run; warnings by fraction or time before', () => {
    expect(show(initialRounds(POLICY, rules, RECEIVED))).toEqual([
      'first_response#1 running 03-12T11:00 03-12T10:45', // policy default 75 %
      'periodic_update#1 running 03-12T14:00 03-12T13:30', // 30 min before
      'resolution#1 running 03-12T18:00 03-12T14:00', // 8 h over the night; 50 %
    ]);
  });
});

describe('the clocks of one ticket, trigger by trigger', () => {
  test.each<[string, ClockTrigger[], string[]]>([
    [
      'the first public reply meets first response and the periodic update, which starts again from it',
      [reply('2024-03-12T10:30:00Z')],
      [
        'first_response#1 met 03-12T11:00 03-12T10:45',
        'periodic_update#1 met 03-12T14:00 03-12T13:30',
        'periodic_update#2 running 03-12T14:30 03-12T14:00',
        'resolution#1 running 03-12T18:00 03-12T14:00',
      ],
    ],
    [
      'a customer message before the first reply arms no next response',
      [customer('2024-03-12T10:10:00Z')],
      [
        'first_response#1 running 03-12T11:00 03-12T10:45',
        'periodic_update#1 running 03-12T14:00 03-12T13:30',
        'resolution#1 running 03-12T18:00 03-12T14:00',
      ],
    ],
    [
      'each customer message after a reply arms a round of next response; the next reply meets it',
      [
        reply('2024-03-12T10:30:00Z'),
        customer('2024-03-12T11:00:00Z'),
        customer('2024-03-12T11:30:00Z'), // the round is already armed
        reply('2024-03-12T12:00:00Z'),
        customer('2024-03-12T17:00:00Z'),
      ],
      [
        'first_response#1 met 03-12T11:00 03-12T10:45',
        'next_response#1 met 03-12T13:00 03-12T12:30',
        'next_response#2 running 03-13T10:00 03-13T09:30', // 1 h today, 1 h tomorrow
        'periodic_update#1 met 03-12T14:00 03-12T13:30',
        'periodic_update#2 met 03-12T14:30 03-12T14:00',
        'periodic_update#3 running 03-12T16:00 03-12T15:30',
        'resolution#1 running 03-12T18:00 03-12T14:00',
      ],
    ],
    [
      'a reply after the due time decides the round as breached',
      [
        reply('2024-03-12T11:20:00Z'),
        customer('2024-03-12T11:30:00Z'),
        reply('2024-03-12T14:00:00Z'),
      ],
      [
        'first_response#1 breached 03-12T11:00 03-12T10:45',
        'next_response#1 breached 03-12T13:30 03-12T13:00',
        'periodic_update#1 met 03-12T14:00 03-12T13:30',
        'periodic_update#2 met 03-12T15:20 03-12T14:50',
        'periodic_update#3 running 03-12T18:00 03-12T17:30', // due at closing time
        'resolution#1 running 03-12T18:00 03-12T14:00',
      ],
    ],
    [
      'pending pauses all but first response; the due times shift by the paused business time',
      [
        status('new', 'pending', '2024-03-12T10:30:00Z'),
        status('pending', 'open', '2024-03-13T10:00:00Z'), // 7.5 business hours paused
      ],
      [
        'first_response#1 running 03-12T11:00 03-12T10:45',
        'periodic_update#1 running 03-13T13:30 03-13T13:00',
        'resolution#1 running 03-13T17:30 03-13T13:30',
      ],
    ],
    [
      'a customer reply while pending: the status leaves pending, the clocks resume and next response is armed',
      [
        reply('2024-03-12T10:30:00Z'),
        status('open', 'pending', '2024-03-12T11:00:00Z'),
        status('pending', 'open', '2024-03-12T12:00:00Z'),
        customer('2024-03-12T12:00:00Z'),
      ],
      [
        'first_response#1 met 03-12T11:00 03-12T10:45',
        'next_response#1 running 03-12T14:00 03-12T13:30',
        'periodic_update#1 met 03-12T14:00 03-12T13:30',
        'periodic_update#2 running 03-12T15:30 03-12T15:00',
        'resolution#1 running 03-13T10:00 03-12T15:00',
      ],
    ],
    [
      'resolving meets resolution and stops the rest; reopening starts new rounds',
      [
        reply('2024-03-12T10:30:00Z'),
        status('open', 'resolved', '2024-03-12T12:00:00Z'),
        status('resolved', 'open', '2024-03-12T13:00:00Z'),
      ],
      [
        'first_response#1 met 03-12T11:00 03-12T10:45',
        'periodic_update#1 met 03-12T14:00 03-12T13:30',
        'periodic_update#2 stopped 03-12T14:30 03-12T14:00',
        'periodic_update#3 running 03-12T17:00 03-12T16:30',
        'resolution#1 met 03-12T18:00 03-12T14:00',
        'resolution#2 running 03-13T12:00 03-12T17:00',
      ],
    ],
    [
      'resolved while paused: met, its due time unknown',
      [
        status('new', 'pending', '2024-03-12T10:30:00Z'),
        status('pending', 'resolved', '2024-03-14T10:00:00Z'),
      ],
      [
        'first_response#1 breached 03-12T11:00 03-12T10:45', // never paused, and long past due
        'periodic_update#1 stopped - -',
        'resolution#1 met - -',
      ],
    ],
    [
      'a target already due when the ticket goes pending is not paused: its breach stands',
      [status('new', 'pending', '2024-03-12T15:00:00Z')],
      [
        'first_response#1 running 03-12T11:00 03-12T10:45',
        'periodic_update#1 running 03-12T14:00 03-12T13:30',
        'resolution#1 paused - -',
      ],
    ],
  ])('%s', (_label, triggers, expected) => {
    expect(show(run(triggers).rounds)).toEqual(expected);
  });

  test('pause and resume are changes of their own; the due time of a resumed round has a new version', () => {
    const { changes } = run([
      status('new', 'pending', '2024-03-12T10:30:00Z'),
      status('pending', 'open', '2024-03-12T11:30:00Z'),
    ]);
    expect(
      changes.map((c) => [c.after.metric, c.what.join(','), c.before?.version, c.after.version]),
    ).toEqual([
      ['periodic_update', 'paused,resumed', 1, 2],
      ['resolution', 'paused,resumed', 1, 2],
    ]);
    expect(changes[1].after.pausedSeconds).toBe(3600);
  });

  test('a round started while the ticket is pending starts paused', () => {
    const { rounds } = run(
      [
        reply('2024-03-12T10:30:00Z'),
        status('open', 'resolved', '2024-03-12T11:00:00Z'),
        status('resolved', 'pending', '2024-03-12T12:00:00Z'),
      ],
      'open',
    );
    expect(show(rounds).filter((l) => l.includes('#2') || l.includes('#3'))).toEqual([
      'periodic_update#2 stopped 03-12T14:30 03-12T14:00',
      'periodic_update#3 paused - -',
      'resolution#2 paused - -',
    ]);
  });

  test('the warning of a resumed round fires only if its point is still ahead', () => {
    const { rounds } = run([
      status('new', 'pending', '2024-03-12T13:45:00Z'), // periodic update's warning (13:30) has passed
      status('pending', 'open', '2024-03-12T15:00:00Z'),
    ]);
    expect(show(rounds)).toContain('periodic_update#1 running 03-12T15:15 -');
  });

  test('re-classification re-times open rounds from their start, plus the time they were paused', () => {
    const severity3 = rulesFor(
      {
        ...POLICY,
        targets: {
          ...POLICY.targets,
          3: POLICY.targets[2].map((r) => ({ ...r, seconds: r.seconds * 2 })),
        },
      },
      3,
    );
    const { rounds, changes } = run([
      status('new', 'pending', '2024-03-12T10:30:00Z'),
      status('pending', 'open', '2024-03-12T11:30:00Z'),
      { type: 'retarget', at: at('2024-03-12T12:00:00Z'), rules: severity3 },
    ]);
    expect(show(rounds)).toEqual([
      'first_response#1 running 03-12T12:00 03-12T11:30',
      'periodic_update#1 running 03-13T10:00 03-13T09:30', // 8 h + 1 h paused
      'resolution#1 running 03-13T18:00 03-13T10:00', // 16 h + 1 h paused
    ]);
    expect(changes.find((c) => c.after.metric === 'resolution')!.after.version).toBe(3);
  });

  test('re-classification to a severity with the same target leaves that round (and its alarms) alone', () => {
    const same = rulesFor({ ...POLICY, targets: { ...POLICY.targets, 3: POLICY.targets[2] } }, 3);
    const { changes } = run([{ type: 'retarget', at: at('2024-03-12T10:30:00Z'), rules: same }]);
    expect(changes).toEqual([]);
  });
});

describe('ticket kinds bring calendar-time targets that never pause', () => {
  test.each<[TicketKind, string, string[]]>([
    [
      'data_protection_request',
      '2026-01-31T10:00:00Z',
      [
        'first_response#1 running 02-02T10:00 02-02T09:45', // the policy's, Saturday → Monday
        'periodic_update#1 running 02-02T13:00 02-02T12:30',
        'resolution#1 running 02-28T10:00 02-21T10:00', // one month (the 31st → the last day), warned 7 days before
      ],
    ],
    [
      'security_incident',
      '2026-01-31T10:00:00Z',
      [
        'first_response#1 running 02-02T10:00 02-02T09:45',
        'notification#1 running 02-01T10:00 02-01T04:00', // 24 h, warned 6 h before
        'periodic_update#1 running 02-02T13:00 02-02T12:30',
        'resolution#1 running 02-02T17:00 02-02T13:00',
      ],
    ],
  ])('%s received %s', (kind, received, expected) => {
    const kindRules = rulesFor(POLICY, 2, kind);
    const rounds = initialRounds(POLICY, kindRules, at(received));
    expect(show(rounds)).toEqual(expected);
    const paused = applyClockTriggers(
      { policy: POLICY, rules: kindRules, receivedAt: at(received), status: 'open' },
      rounds,
      [status('open', 'pending', '2026-01-31T11:00:00Z')],
    ).rounds;
    const legal = paused.filter((r) => r.clock === 'calendar');
    expect(legal.map((r) => r.state)).toEqual(['running']);
  });

  test.each([
    ['2026-01-15T12:00:00Z', '2026-02-15T12:00:00.000Z'],
    ['2026-01-31T12:00:00Z', '2026-02-28T12:00:00.000Z'],
    ['2028-01-31T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['2026-12-31T23:30:00Z', '2027-01-31T23:30:00.000Z'],
  ])('one month after %s is %s', (from, to) => {
    expect(new Date(addMonths(at(from), 1)).toISOString()).toBe(to);
  });

  // In the policy calendar's zone: the same local time one calendar month later, the day clamped to
  // the month's end, across daylight-saving changes and UTC date lines.
  test.each([
    // London: received 31 Jan 23:30 GMT → 28 Feb 23:30 GMT (in UTC dates it was 31 Jan → 28 Feb too).
    ['Europe/London', '2026-01-31T23:30:00Z', '2026-02-28T23:30:00.000Z'],
    // 15 Mar 09:00 GMT → 15 Apr 09:00 BST, an hour earlier in UTC (30 days 23 hours).
    ['Europe/London', '2026-03-15T09:00:00Z', '2026-04-15T08:00:00.000Z'],
    // 15 Oct 09:00 BST → 15 Nov 09:00 GMT, an hour later in UTC.
    ['Europe/London', '2026-10-15T08:00:00Z', '2026-11-15T09:00:00.000Z'],
    // Copenhagen: 31 Mar 00:30 CEST is 30 Mar 22:30 UTC; the local date wins: 30 Apr 00:30 CEST.
    ['Europe/Copenhagen', '2026-03-30T22:30:00Z', '2026-04-29T22:30:00.000Z'],
    // Auckland: 1 Feb 10:00 NZDT is 31 Jan 21:00 UTC: 1 Mar 10:00 NZDT, not the 28th in UTC dates.
    ['Pacific/Auckland', '2026-01-31T21:00:00Z', '2026-02-28T21:00:00.000Z'],
    // 31 Jan 12:00 NZDT → 28 Feb 12:00 NZDT (clamped), 31 Mar 12:00 NZDT → 30 Apr 12:00 NZST.
    ['Pacific/Auckland', '2026-01-30T23:00:00Z', '2026-02-27T23:00:00.000Z'],
    ['Pacific/Auckland', '2026-03-30T23:00:00Z', '2026-04-30T00:00:00.000Z'],
    // A local time the zone skips is read with the offset before the change (02:30 BST for 01:30).
    ['Europe/London', '2026-02-28T01:30:00Z', '2026-03-28T01:30:00.000Z'],
    // 28 Feb 2027 01:30 GMT → 28 Mar 01:30 does not exist (01:00 → 02:00 BST): 02:30 BST, 01:30 UTC.
    ['Europe/London', '2027-02-28T01:30:00Z', '2027-03-28T01:30:00.000Z'],
    // A local time the zone has twice (25 Oct 01:30 London): the first, 01:30 BST.
    ['Europe/London', '2026-09-25T00:30:00Z', '2026-10-25T00:30:00.000Z'],
    // New York, leap year: 29 Feb 2028 20:00 EST → 29 Mar 20:00 EDT.
    ['America/New_York', '2028-03-01T01:00:00Z', '2028-03-30T00:00:00.000Z'],
    ['UTC', '2026-12-31T23:30:00Z', '2027-01-31T23:30:00.000Z'],
  ])('in %s, one month after %s is %s', (zone, from, to) => {
    expect(new Date(addMonths(at(from), 1, zone)).toISOString()).toBe(to);
  });

  it('a data-protection request is due one month later in the policy’s zone, not in UTC dates', () => {
    const auckland: SlaPolicy = {
      ...POLICY,
      calendar: { ...POLICY.calendar, timeZone: 'Pacific/Auckland' },
    };
    // Received 1 Feb 10:00 NZDT (31 Jan 21:00 UTC): due 1 Mar 10:00 NZDT (28 Feb 21:00 UTC).
    const rules = rulesFor(auckland, 2, 'data_protection_request');
    const [resolution] = initialRounds(auckland, rules, at('2026-01-31T21:00:00Z')).filter(
      (r) => r.metric === 'resolution',
    );
    expect(new Date(resolution.dueAt!).toISOString()).toBe('2026-02-28T21:00:00.000Z');
    expect(resolution.targetSeconds).toBe(28 * 24 * H);
  });
});

describe('warnings per target', () => {
  test.each([
    [{ fraction: 0.75 }, 4 * H, 3 * H],
    [{ beforeSeconds: 1800 }, 4 * H, 3.5 * H],
    [{ beforeSeconds: 5 * H }, 4 * H, null],
    [null, 4 * H, null],
  ])('%j of %i s: after %p s', (warning, target, expected) => {
    expect(warningSecondsOf(warning, target)).toBe(expected);
  });

  const doc = (warning: unknown) => ({
    name: 'W',
    calendar: STANDARD_SUPPORT.calendar,
    targets: { 1: [{ metric: 'resolution', seconds: 3600, warning }] },
  });
  test('parsePolicy keeps a target’s warning', () => {
    expect(parsePolicy(doc({ beforeSeconds: 600 })).targets[1][0].warning).toEqual({
      beforeSeconds: 600,
    });
    expect(parsePolicy(doc(null)).targets[1][0].warning).toBeNull();
  });
  test.each([
    [{ fraction: 1 }, 'targets.1[0].warning.fraction'],
    [{ beforeSeconds: 3600 }, 'targets.1[0].warning.beforeSeconds'],
    [{ fraction: 0.5, beforeSeconds: 5 }, 'targets.1[0].warning: expected'],
    ['soon', 'targets.1[0].warning: expected'],
  ])('parsePolicy refuses warning %j', (warning, message) => {
    expect(() => parsePolicy(doc(warning))).toThrow(message);
  });
});
