import { isSessionLive, sessionEndsAt, sessionTimeouts } from './session-timeouts';

const staff = { idleSeconds: 30 * 60, maxSeconds: 12 * 3600 };
const customer = { idleSeconds: 8 * 3600, maxSeconds: 7 * 86400 };
const byRole = {
  admin: { idleSeconds: 10 * 60, maxSeconds: 2 * 3600 },
  manager: staff,
  agent: staff,
  customer_admin: { idleSeconds: 3600, maxSeconds: 86400 },
  customer,
};

describe('sessionTimeouts: the role’s, made stricter (never longer) by the organisation', () => {
  it.each([
    ['agent', null, 1800, 43200],
    ['manager', null, 1800, 43200],
    ['admin', null, 600, 7200],
    ['customer', null, 28800, 604800],
    ['customer_admin', null, 3600, 86400],
    ['customer_admin', { idleMinutes: 15, maxHours: 100 }, 900, 86400],
    ['customer', { idleMinutes: 15, maxHours: 24 }, 900, 86400],
    ['customer', { idleMinutes: 15, maxHours: null }, 900, 604800],
    ['customer', { idleMinutes: null, maxHours: 1 }, 28800, 3600],
    ['customer', { idleMinutes: 100000, maxHours: 100000 }, 28800, 604800],
  ] as const)('%s in %j → idle %d s, at most %d s', (role, org, idle, max) => {
    expect(sessionTimeouts(role, byRole, org)).toEqual({ idleSeconds: idle, maxSeconds: max });
  });
});

describe('sessionEndsAt / isSessionLive', () => {
  const t = { idleSeconds: 1800, maxSeconds: 43200 };
  const at = (s: string) => new Date(s);
  it.each([
    ['2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z', '2026-01-05T09:29:59Z', true, 'idle'],
    ['2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z', '2026-01-05T09:30:00Z', false, 'idle'],
    ['2026-01-05T09:00:00Z', '2026-01-05T20:50:00Z', '2026-01-05T20:59:59Z', true, 'absolute'],
    ['2026-01-05T09:00:00Z', '2026-01-05T20:50:00Z', '2026-01-05T21:00:00Z', false, 'absolute'],
  ] as const)(
    'signed in %s, last seen %s, at %s: live %s (%s)',
    (created, seen, now, live, why) => {
      const s = { createdAt: at(created), lastSeenAt: at(seen) };
      expect(isSessionLive(s, t, at(now))).toBe(live);
      expect(sessionEndsAt(s, t).reason).toBe(why);
    },
  );
});
