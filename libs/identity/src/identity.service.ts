import { AppConfig, conflict, DomainError, invalid, notFound, TtlCache } from '@app/config';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser, CUSTOMER_ROLES, Role, toAuthUser, UserRow } from './auth-user';
import { hashPassword, verifyPassword } from './passwords';

const USER_COLUMNS =
  'id, email, name, role, organization_id, support_level, security_clearance, active, created_at';
/** Sessions and known users are cached this long per process (a change elsewhere shows within it). */
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

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Users, sessions and login throttling. */
@Injectable()
export class IdentityService {
  private readonly logger = new Logger(IdentityService.name);
  private readonly sessionCache = new TtlCache<string, AuthUser>(CACHE_MS);
  /** Users found by e-mail (not the misses: a user may be created at any moment). */
  private readonly usersByEmail = new TtlCache<string, AuthUser>(CACHE_MS);
  private dummyHash?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Checks the password and opens a session; returns its bearer token. Failed logins are throttled
   * per e-mail (guessing one password) and per client address (trying many e-mails).
   */
  async login(
    email: string,
    password: string,
    clientAddress?: string,
  ): Promise<{ token: string; user: AuthUser; expiresAt: Date }> {
    const key = email.trim().toLowerCase();
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
      await this.recordFailedLogin(key, this.config.LOGIN_MAX_FAILURES);
      if (clientAddress)
        await this.recordFailedLogin(
          `address:${clientAddress}`,
          this.config.LOGIN_MAX_FAILURES_PER_ADDRESS,
        );
      throw new DomainError('unauthorized', 'bad_credentials', 'E-mail or password is wrong.');
    }
    // Only the e-mail's count is forgiven: one good account must not reset an address's failures.
    await this.db.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
    return { ...(await this.openSession(row.id)), user: toAuthUser(row) };
  }

  /** Opens a session for a user whose identity is already proven (a password, a signed chat token). */
  async openSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    await this.db.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`,
      [hashToken(token), userId, expiresAt],
    );
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

  /** The user of a live session, or null. Cached a few seconds per process. */
  async authenticate(token: string): Promise<AuthUser | null> {
    const h = hashToken(token);
    const hit = this.sessionCache.get(h);
    if (hit) return hit;
    const [row] = (await this.db.query(
      `SELECT u.id, u.email, u.name, u.role, u.organization_id, u.support_level, u.security_clearance, u.active
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
      [h],
    )) as UserRow[];
    if (!row) {
      this.sessionCache.delete(h);
      return null;
    }
    const user = toAuthUser(row);
    this.sessionCache.set(h, user);
    return user;
  }

  async logout(token: string): Promise<void> {
    const h = hashToken(token);
    this.sessionCache.delete(h);
    await this.db.query(`DELETE FROM sessions WHERE token_hash = $1`, [h]);
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
    const hash = input.password ? await hashPassword(input.password) : null;
    try {
      const [row] = (await this.db.query(
        `INSERT INTO users (email, name, password_hash, role, organization_id, support_level, security_clearance)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLUMNS}`,
        [
          input.email,
          input.name,
          hash,
          input.role,
          input.organizationId ?? null,
          input.role === 'agent' ? (input.supportLevel ?? 1) : null,
          input.securityClearance ?? false,
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
    if (patch.password !== undefined) set('password_hash', await hashPassword(patch.password));
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
      if (patch.active === false || patch.password !== undefined)
        await this.db.query(`DELETE FROM sessions WHERE user_id = $1`, [id]);
      this.sessionCache.clear();
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
