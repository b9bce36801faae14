import { AppConfig, conflict, DomainError, invalid, notFound, TtlCache } from '@app/config';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser, CUSTOMER_ROLES, Role, SessionUser, toAuthUser, UserRow } from './auth-user';
import {
  hashPassword,
  PASSWORD_MIN_WITH_FORCED_CHANGE,
  passwordProblem,
  verifyPassword,
} from './passwords';
import { SECURITY_EVENTS, SecurityEvents } from './security-events';
import { ClientInfo, SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';

const USER_COLUMNS =
  'id, email, name, role, organization_id, support_level, security_clearance, active, created_at';
/** Known users are cached this long per process (a change elsewhere shows within it). */
const CACHE_MS = 5_000;

export interface NewUser {
  email: string;
  name: string;
  password?: string;
  role: Role;
  organizationId?: string | null;
  supportLevel?: number | null;
  securityClearance?: boolean;
}

/** A login: a session, or (for a user with 2FA) the challenge that the code completes. */
export type LoginResult =
  | { token: string; user: AuthUser; expiresAt: Date }
  | { twoFactor: 'required'; challenge: string; expiresAt: Date };

/** What is wrong with a password an admin sets, and whether the user must change it at sign-in. */
function adminSetPassword(password: string): { forcedChange: boolean } {
  const problem = passwordProblem(password, { minLength: PASSWORD_MIN_WITH_FORCED_CHANGE });
  if (problem) throw invalid('weak_password', problem);
  return { forcedChange: passwordProblem(password) !== null };
}

/** Users, login (password, then the second factor) and login throttling. Sessions: SessionsService. */
@Injectable()
export class IdentityService {
  private readonly logger = new Logger(IdentityService.name);
  /** Users found by e-mail (not the misses: a user may be created at any moment). */
  private readonly usersByEmail = new TtlCache<string, AuthUser>(CACHE_MS);
  private dummyHash?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly twoFactor: TwoFactorService,
    @Optional() @Inject(SECURITY_EVENTS) private readonly events?: SecurityEvents,
  ) {}

  /**
   * Checks the password; opens a session, or for a user with 2FA a short-lived challenge that
   * `completeLogin` finishes with a code. Failed passwords and codes are throttled per e-mail
   * (guessing one account) and per client address (trying many e-mails).
   */
  async login(
    email: string,
    password: string,
    clientAddress?: string,
    client: ClientInfo = {},
  ): Promise<LoginResult> {
    const key = email.trim().toLowerCase();
    await this.refuseWhileLocked(key, clientAddress);
    const [row] = (await this.db.query(
      `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE lower(email) = $1`,
      [key],
    )) as UserRow[];
    this.dummyHash ??= hashPassword('not-a-password');
    const ok =
      row && row.active
        ? await verifyPassword(row.password_hash, password)
        : (await verifyPassword(await this.dummyHash, password + 'x'), false);
    if (!ok) {
      this.logger.warn(`failed login for ${key}${clientAddress ? ` from ${clientAddress}` : ''}`);
      await this.recordFailure(key, clientAddress);
      throw new DomainError('unauthorized', 'bad_credentials', 'E-mail or password is wrong.');
    }
    if (await this.twoFactor.isEnabled(row.id)) {
      // The e-mail's failures are forgiven only when the code is right too.
      const { challenge, expiresAt } = await this.twoFactor.openChallenge(row.id);
      return { twoFactor: 'required', challenge, expiresAt };
    }
    // Only the e-mail's count is forgiven: one good account must not reset an address's failures.
    await this.db.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
    return {
      ...(await this.sessions.open(row.id, { ...client, clientAddress })),
      user: toAuthUser(row),
    };
  }

  /** The second step: the challenge of a good password and a TOTP or recovery code; a new session. */
  async completeLogin(
    challenge: string,
    code: string,
    clientAddress?: string,
    client: ClientInfo = {},
  ): Promise<{ token: string; user: AuthUser; expiresAt: Date }> {
    const userId = await this.twoFactor.attemptChallenge(challenge);
    if (!userId)
      throw new DomainError(
        'unauthorized',
        'challenge_expired',
        'This sign-in has expired or had too many wrong codes; sign in with your password again.',
      );
    const [row] = (await this.db.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
      userId,
    ])) as UserRow[];
    const key = row.email.trim().toLowerCase();
    await this.refuseWhileLocked(key, clientAddress);
    if (!row.active || !(await this.twoFactor.verify(userId, code))) {
      this.logger.warn(
        `wrong second factor for ${key}${clientAddress ? ` from ${clientAddress}` : ''}`,
      );
      await this.recordFailure(key, clientAddress);
      throw new DomainError(
        'unauthorized',
        'bad_code',
        'The code is wrong, already used or expired; enter the code your app shows now, or a recovery code.',
      );
    }
    await this.twoFactor.closeChallenge(challenge);
    await this.db.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
    return {
      ...(await this.sessions.open(userId, { ...client, clientAddress })),
      user: toAuthUser(row),
    };
  }

  private async refuseWhileLocked(key: string, clientAddress?: string): Promise<void> {
    const keys = clientAddress ? [key, `address:${clientAddress}`] : [key];
    const [lock] = await this.db.query(
      `SELECT key, ceil(extract(epoch FROM locked_until - now()))::int AS wait FROM login_throttle
        WHERE key = ANY($1) AND locked_until > now() ORDER BY locked_until DESC LIMIT 1`,
      [keys],
    );
    if (lock) {
      const whose = lock.key === key ? 'this e-mail' : 'your address';
      throw new DomainError(
        'too_many',
        'login_throttled',
        `Too many failed logins for ${whose}; try again in ${lock.wait} s.`,
      );
    }
  }

  private async recordFailure(key: string, clientAddress?: string): Promise<void> {
    await this.recordFailedLogin(key, this.config.LOGIN_MAX_FAILURES);
    if (clientAddress)
      await this.recordFailedLogin(
        `address:${clientAddress}`,
        this.config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      );
  }

  /** Opens a session for a user whose identity is already proven (a signed chat token). */
  async openSession(
    userId: string,
    client: ClientInfo = {},
  ): Promise<{ token: string; expiresAt: Date }> {
    const { token, expiresAt } = await this.sessions.open(userId, client);
    return { token, expiresAt };
  }

  /** Counts a failure within the window; at `max` the key is locked for LOGIN_LOCK_SECONDS. */
  private async recordFailedLogin(key: string, max: number): Promise<void> {
    await this.db.query(
      `INSERT INTO login_throttle (key, failures, first_failed_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.first_failed_at < now() - make_interval(secs => $3) THEN 1 ELSE login_throttle.failures + 1 END,
         first_failed_at = CASE WHEN login_throttle.first_failed_at < now() - make_interval(secs => $3) THEN now() ELSE login_throttle.first_failed_at END,
         locked_until = CASE WHEN login_throttle.first_failed_at >= now() - make_interval(secs => $3) AND login_throttle.failures + 1 >= $2
                             THEN now() + make_interval(secs => $3) ELSE NULL END`,
      [key, max, this.config.LOGIN_LOCK_SECONDS],
    );
  }

  /** The user of a live session, or null. */
  authenticate(token: string): Promise<SessionUser | null> {
    return this.sessions.authenticate(token);
  }

  async logout(token: string): Promise<void> {
    await this.sessions.endByToken(token);
  }

  /**
   * The user's own change of password: the current one, a new one by the rules (trust.md); every
   * other session of theirs ends.
   */
  async changePassword(user: SessionUser, current: string, next: string): Promise<void> {
    const [row] = await this.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    if (!(await verifyPassword(row?.password_hash, current)))
      throw invalid('wrong_password', 'currentPassword is not your current password.');
    const problem = passwordProblem(next, { field: 'newPassword', email: user.email });
    if (problem) throw invalid('weak_password', problem);
    if (await verifyPassword(row.password_hash, next))
      throw invalid('same_password', 'newPassword must differ from your current password.');
    await this.db.query(
      `UPDATE users SET password_hash = $2, password_change_required = false WHERE id = $1`,
      [user.id, await hashPassword(next)],
    );
    await this.sessions.endAll(user.id, user.sessionId);
    await this.events?.record(user.id, 'password.changed', null, { userId: user.id });
  }

  async createUser(input: NewUser): Promise<AuthUser> {
    const customer = CUSTOMER_ROLES.includes(input.role);
    if (customer && !input.organizationId)
      throw invalid('organization_required', `A ${input.role} needs an organizationId.`);
    if (!customer && input.organizationId)
      throw invalid(
        'organization_not_allowed',
        `A ${input.role} belongs to no customer organisation.`,
      );
    if (input.role !== 'agent' && input.supportLevel != null)
      throw invalid('support_level_not_allowed', 'Only agents have a support level.');
    const forced = input.password ? adminSetPassword(input.password).forcedChange : false;
    const hash = input.password ? await hashPassword(input.password) : null;
    try {
      const [row] = (await this.db.query(
        `INSERT INTO users (email, name, password_hash, role, organization_id, support_level, security_clearance, password_change_required)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLUMNS}`,
        [
          input.email,
          input.name,
          hash,
          input.role,
          input.organizationId ?? null,
          input.role === 'agent' ? (input.supportLevel ?? 1) : null,
          input.securityClearance ?? false,
          forced,
        ],
      )) as UserRow[];
      return toAuthUser(row);
    } catch (err) {
      throw mapPgError(err, 'user');
    }
  }

  async updateUser(id: string, patch: Partial<NewUser> & { active?: boolean }): Promise<AuthUser> {
    const current = await this.getUser(id);
    const sets: string[] = [];
    const args: unknown[] = [id];
    const set = (col: string, v: unknown) => {
      args.push(v);
      sets.push(`${col} = $${args.length}`);
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.email !== undefined) set('email', patch.email);
    if (patch.password !== undefined) {
      set('password_change_required', adminSetPassword(patch.password).forcedChange);
      set('password_hash', await hashPassword(patch.password));
    }
    if (patch.supportLevel !== undefined) {
      if (current.role !== 'agent')
        throw invalid('support_level_not_allowed', 'Only agents have a support level.');
      set('support_level', patch.supportLevel);
    }
    if (patch.securityClearance !== undefined) set('security_clearance', patch.securityClearance);
    if (patch.active !== undefined) set('active', patch.active);
    if (!sets.length) return current;
    try {
      const [rows] = await this.db.query(
        `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        args,
      );
      // Deactivation and a password set by an admin end every session of the user.
      if (patch.active === false || patch.password !== undefined) await this.sessions.endAll(id);
      await this.sessions.forget();
      this.usersByEmail.clear();
      return toAuthUser(rows[0]);
    } catch (err) {
      throw mapPgError(err, 'user');
    }
  }

  async getUser(id: string): Promise<AuthUser> {
    const [row] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    if (!row) throw notFound('user_not_found', `No user ${id}.`);
    return toAuthUser(row);
  }

  /** A known user is cached a few seconds: the mail channel looks each sender up more than once. */
  async findUserByEmail(email: string): Promise<AuthUser | null> {
    const key = email.trim().toLowerCase();
    const hit = this.usersByEmail.get(key);
    if (hit) return hit;
    const [row] = await this.db.query(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = $1`, [
      key,
    ]);
    if (!row) return null;
    const user = toAuthUser(row);
    this.usersByEmail.set(key, user);
    return user;
  }

  async listUsers(filter: { organizationId?: string; role?: Role } = {}): Promise<AuthUser[]> {
    const rows = await this.db.query(
      `SELECT ${USER_COLUMNS} FROM users WHERE ($1::uuid IS NULL OR organization_id = $1) AND ($2::text IS NULL OR role = $2) ORDER BY email`,
      [filter.organizationId ?? null, filter.role ?? null],
    );
    return rows.map(toAuthUser);
  }

  /** Active agents of one support level (for escalation notices). Pass the transaction's manager when inside one. */
  async agentsAtLevel(level: number, m?: EntityManager): Promise<AuthUser[]> {
    const rows = await (m ?? this.db).query(
      `SELECT ${USER_COLUMNS} FROM users WHERE role = 'agent' AND support_level = $1 AND active ORDER BY email`,
      [level],
    );
    return rows.map(toAuthUser);
  }

  /** Active admins (who receive the alarm mails). Pass the transaction's manager when inside one. */
  async admins(m?: EntityManager): Promise<AuthUser[]> {
    const rows = await (m ?? this.db).query(
      `SELECT ${USER_COLUMNS} FROM users WHERE role = 'admin' AND active ORDER BY email`,
    );
    return rows.map(toAuthUser);
  }
}

/** Maps PostgreSQL constraint errors to domain errors that say what was wrong. */
export function mapPgError(err: unknown, what: string): unknown {
  const e = err as { code?: string; detail?: string; constraint?: string };
  if (e?.code === '23505')
    return conflict(
      `${what}_exists`,
      `A ${what} with this value already exists${e.detail ? `: ${e.detail}` : ''}.`,
    );
  if (e?.code === '23503')
    return invalid(
      `${what}_reference`,
      `A referenced record does not exist${e.detail ? `: ${e.detail}` : ''}.`,
    );
  if (e?.code === '23514')
    return invalid(`${what}_check`, `The ${what} breaks a rule (${e.constraint}).`);
  if (e?.code === '22P02') return invalid(`${what}_bad_id`, `An id is not a valid UUID.`);
  return err;
}
