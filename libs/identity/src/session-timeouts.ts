import type { Role } from './auth-user';

/** How long a session may be idle, and how long it may live at most, in seconds. */
export interface SessionTimeouts {
  idleSeconds: number;
  maxSeconds: number;
}

/** Each role's time-outs (defaults: 30 min / 12 h for staff roles, 8 h / 7 days for customer roles). */
export type RoleTimeouts = Record<Role, SessionTimeouts>;

/** An organisation's own, stricter, time-outs (null: the role's). */
export interface OrganizationTimeouts {
  idleMinutes: number | null;
  maxHours: number | null;
}

/**
 * The time-outs of a user's sessions: their role's, made shorter by the user's
 * organisation where it sets stricter ones; an organisation can never lengthen them.
 */
export function sessionTimeouts(
  role: Role,
  byRole: RoleTimeouts,
  org?: OrganizationTimeouts | null,
): SessionTimeouts {
  const base = byRole[role];
  return {
    idleSeconds: Math.min(base.idleSeconds, org?.idleMinutes ? org.idleMinutes * 60 : Infinity),
    maxSeconds: Math.min(base.maxSeconds, org?.maxHours ? org.maxHours * 3600 : Infinity),
  };
}

/** When a session ends if nothing more happens: the earlier of its idle and absolute limits. */
export function sessionEndsAt(
  s: { createdAt: Date; lastSeenAt: Date },
  t: SessionTimeouts,
): { endsAt: Date; reason: 'idle' | 'absolute' } {
  const idle = s.lastSeenAt.getTime() + t.idleSeconds * 1000;
  const absolute = s.createdAt.getTime() + t.maxSeconds * 1000;
  return idle < absolute
    ? { endsAt: new Date(idle), reason: 'idle' }
    : { endsAt: new Date(absolute), reason: 'absolute' };
}

export const isSessionLive = (
  s: { createdAt: Date; lastSeenAt: Date },
  t: SessionTimeouts,
  now: Date,
) => sessionEndsAt(s, t).endsAt.getTime() > now.getTime();
