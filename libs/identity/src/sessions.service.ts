import { AppConfig, notFound, PgListener, TtlCache } from '@app/config';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Role, SessionUser, toAuthUser, TWO_FACTOR_REQUIRED_SQL, UserRow } from './auth-user';
import { isSessionLive, RoleTimeouts, sessionEndsAt, sessionTimeouts } from './session-timeouts';

/** Sessions are cached this long per process; an end or a change is announced to every process. */
const CACHE_MS = 5_000;
/** The channel on which a process announces that sessions ended or users, 2FA or rules changed. */
export const SESSIONS_CHANNEL = 'identity_sessions';
/** `last_seen_at` is written at most this often per session. */
const TOUCH_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Where a session was opened from: shown in the user's list of sessions. */
export interface ClientInfo {
  userAgent?: string | null;
  clientAddress?: string | null;
}

export interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  /** When it ends if nothing more happens (idle or absolute time-out, whichever is first). */
  endsAt: string;
  userAgent: string | null;
  clientAddress: string | null;
}

interface SessionRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  user_agent: string | null;
  client_address: string | null;
  role: Role;
  session_idle_minutes: number | null;
  session_max_hours: number | null;
}

const clip = (s: string | null | undefined, n: number) => (s ? s.slice(0, n) : null);

/**
 * Server-side sessions: a random token (only its SHA-256 is stored), idle and absolute time-outs by
 * role made stricter by the organisation, and their ends: logout, the user ending one, an admin
 * revoking them all, deactivation, a password or 2FA change.
 */
@Injectable()
export class SessionsService implements OnModuleDestroy {
  private readonly cache = new TtlCache<string, SessionUser>(CACHE_MS);
  /** Started with the first authentication (the worker never authenticates, so never listens). */
  private listener?: PgListener;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  /** Listens for other processes' announcements; each (and each reconnection) empties the cache. */
  private listen(): void {
    if (this.listener) return;
    this.listener = new PgListener(
      this.config.DATABASE_URL,
      SESSIONS_CHANNEL,
      () => this.cache.clear(),
      () => this.cache.clear(),
    );
    void this.listener.start();
  }

  /** Empties this process's cache and tells the other processes to empty theirs. */
  private async announce(): Promise<void> {
    this.cache.clear();
    await this.db.query(`SELECT pg_notify($1, 'changed')`, [SESSIONS_CHANNEL]);
  }

  get byRole(): RoleTimeouts {
    const byRole = this.config.sessionTimeoutsByRole;
    return Object.fromEntries(
      Object.entries(byRole).map(([role, t]) => [
        role,
        { idleSeconds: t.idleMinutes * 60, maxSeconds: t.maxHours * 3600 },
      ]),
    ) as RoleTimeouts;
  }

  private timeoutsOf(r: Pick<SessionRow, 'role' | 'session_idle_minutes' | 'session_max_hours'>) {
    return sessionTimeouts(r.role, this.byRole, {
      idleMinutes: r.session_idle_minutes,
      maxHours: r.session_max_hours,
    });
  }

  /** Opens a session (a new id each time) for a user whose identity is proven; returns its token. */
  async open(
    userId: string,
    client: ClientInfo = {},
  ): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const [u] = await this.db.query(
      `SELECT u.role, o.session_idle_minutes, o.session_max_hours FROM users u
         LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1`,
      [userId],
    );
    if (!u) throw notFound('user_not_found', `No user ${userId}.`);
    const token = randomBytes(32).toString('base64url');
    const [row] = await this.db.query(
      `WITH gone AS (DELETE FROM sessions WHERE user_id = $2 AND expires_at <= now())
       INSERT INTO sessions (token_hash, user_id, expires_at, user_agent, client_address)
       VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5) RETURNING id, expires_at`,
      [
        hashToken(token),
        userId,
        this.timeoutsOf(u).maxSeconds,
        clip(client.userAgent, 300),
        clip(client.clientAddress, 64),
      ],
    );
    return { token, expiresAt: new Date(row.expires_at), sessionId: row.id };
  }

  /** The user of a live session, or null; a session past its time-out is deleted. */
  async authenticate(token: string): Promise<SessionUser | null> {
    const h = hashToken(token);
    this.listen();
    const hit = this.cache.get(h);
    if (hit) return hit;
    const [row] = (await this.db.query(
      `SELECT u.id, u.email, u.name, u.role, u.organization_id, u.support_level, u.security_clearance,
              u.active, u.password_change_required, s.id AS session_id, s.created_at, s.last_seen_at,
              o.session_idle_minutes, o.session_max_hours, now() AS now,
              EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) AS two_factor_enabled,
              ${TWO_FACTOR_REQUIRED_SQL('u', 'o')} AS two_factor_required
         FROM sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
      [h],
    )) as (UserRow &
      SessionRow & {
        session_id: string;
        now: Date;
        password_change_required: boolean;
        two_factor_enabled: boolean;
        two_factor_required: boolean;
      })[];
    if (!row) return null;
    const times = { createdAt: new Date(row.created_at), lastSeenAt: new Date(row.last_seen_at) };
    const now = new Date(row.now);
    if (!isSessionLive(times, this.timeoutsOf(row), now)) {
      await this.db.query(`DELETE FROM sessions WHERE token_hash = $1`, [h]);
      return null;
    }
    if (now.getTime() - times.lastSeenAt.getTime() > TOUCH_MS)
      await this.db.query(`UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1`, [h]);
    const user: SessionUser = {
      ...toAuthUser(row),
      sessionId: row.session_id,
      twoFactorEnabled: row.two_factor_enabled,
      twoFactorRequired: row.two_factor_required,
      passwordChangeRequired: row.password_change_required,
    };
    this.cache.set(h, user);
    return user;
  }

  /** Forgets what every process cached (after a change to users, 2FA or organisations' rules). */
  async forget(): Promise<void> {
    await this.announce();
  }

  /** Logout: the session of this token ends. */
  async endByToken(token: string): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE token_hash = $1`, [hashToken(token)]);
    await this.announce();
  }

  /** The user's live sessions, newest first. */
  async list(userId: string, currentSessionId?: string): Promise<SessionView[]> {
    const rows = (await this.db.query(
      `SELECT s.id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.client_address,
              u.role, o.session_idle_minutes, o.session_max_hours, now() AS now
         FROM sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE s.user_id = $1 AND s.expires_at > now()
        ORDER BY s.last_seen_at DESC, s.created_at DESC`,
      [userId],
    )) as (SessionRow & { now: Date })[];
    return rows.flatMap((r) => {
      const times = { createdAt: new Date(r.created_at), lastSeenAt: new Date(r.last_seen_at) };
      const t = this.timeoutsOf(r);
      if (!isSessionLive(times, t, new Date(r.now))) return [];
      const ends = sessionEndsAt(times, t).endsAt;
      const expires = new Date(r.expires_at);
      return [
        {
          id: r.id,
          current: r.id === currentSessionId,
          createdAt: times.createdAt.toISOString(),
          lastSeenAt: times.lastSeenAt.toISOString(),
          endsAt: (ends < expires ? ends : expires).toISOString(),
          userAgent: r.user_agent,
          clientAddress: r.client_address,
        },
      ];
    });
  }

  /** Ends one of the user's own sessions; another's (or none) is not found. */
  async end(userId: string, sessionId: string): Promise<void> {
    const [, count] = await this.db.query(`DELETE FROM sessions WHERE id = $1 AND user_id = $2`, [
      sessionId,
      userId,
    ]);
    if (!count) throw notFound('session_not_found', `You have no session ${sessionId}.`);
    await this.announce();
  }

  /** Ends every session of a user, but `keep` (the one making the change); returns how many ended. */
  async endAll(userId: string, keep?: string): Promise<number> {
    const [, count] = await this.db.query(
      `DELETE FROM sessions WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2)`,
      [userId, keep ?? null],
    );
    await this.announce();
    return Number(count ?? 0);
  }
}
