import {
  AppConfig,
  conflict,
  DomainError,
  forbidden,
  invalid,
  notFound,
  totpEncryptionKey,
} from '@app/config';
import { Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import * as QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { ROLES, Role, SessionUser, TWO_FACTOR_REQUIRED_SQL } from './auth-user';
import { verifyPassword } from './passwords';
import { SECURITY_EVENTS, SecurityEvents } from './security-events';
import { SessionsService } from './sessions.service';
import { hashToken } from './sessions.service';
import {
  isTotpShaped,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  openSecret,
  otpauthUri,
  sealSecret,
  verifyTotp,
} from './two-factor-core';

/** How long the state between the password and the code lasts, and how many codes it takes. */
const CHALLENGE_SECONDS = 300;
const CHALLENGE_ATTEMPTS = 5;
/** Recovery codes are long random strings: a light argon2id is plenty (OWASP's minimum). */
const RECOVERY_HASH: argon2.HashOptions = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export interface TwoFactorStatus {
  enabled: boolean;
  method: 'totp' | null;
  since: string | null;
  recoveryCodesLeft: number;
  required: boolean;
}

export interface Enrolment {
  /** The secret in base32, for typing into an app that cannot scan. */
  secret: string;
  otpauthUri: string;
  /** The QR code of the URI as a PNG data URL (made here, nothing leaves the helpdesk). */
  qrCode: string;
}

export interface TwoFactorRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  organizationId: string | null;
  organizationName: string | null;
  enabled: boolean;
  method: 'totp' | null;
  since: string | null;
  required: boolean;
  recoveryCodesLeft: number;
}

/**
 * TOTP two-factor authentication: enrolment (QR code and text secret, confirmed with a code), ten
 * hashed single-use recovery codes, the second step of a login, turning it off, an admin's reset,
 * who must have it (roles, organisations) and who has it.
 */
@Injectable()
export class TwoFactorService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TwoFactorService.name);
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    @Optional() @Inject(SECURITY_EVENTS) private readonly events?: SecurityEvents,
  ) {
    this.key = totpEncryptionKey(config);
  }

  async onApplicationBootstrap() {
    await this.sealPlainSecrets();
  }

  /**
   * Encrypts the secrets stored before encryption was always on (`plain:…`); run at every boot, so
   * that no secret stays in plain text. Safe with several api processes (each row changes once).
   */
  async sealPlainSecrets(): Promise<number> {
    const rows: { user_id: string; secret: string }[] = await this.db.query(
      `SELECT user_id, secret FROM two_factor WHERE secret LIKE 'plain:%'`,
    );
    let sealed = 0;
    for (const row of rows) {
      const done = await this.db.query(
        `WITH sealed AS (UPDATE two_factor SET secret = $3 WHERE user_id = $1 AND secret = $2 RETURNING 1)
         SELECT 1 FROM sealed`,
        [row.user_id, row.secret, sealSecret(openSecret(row.secret, this.key), this.key)],
      );
      sealed += done.length;
    }
    if (sealed) this.logger.log(`encrypted ${sealed} TOTP secret(s) stored in plain text`);
    return sealed;
  }

  private async record(actorId: string | null, action: string, details: unknown) {
    await this.events?.record(actorId, action, null, details);
  }

  async status(user: SessionUser): Promise<TwoFactorStatus> {
    const [row] = await this.db.query(
      `SELECT t.method, t.enabled_at,
              (SELECT count(*)::int FROM recovery_codes c WHERE c.user_id = $1 AND c.used_at IS NULL) AS left
         FROM two_factor t WHERE t.user_id = $1 AND t.enabled_at IS NOT NULL`,
      [user.id],
    );
    return {
      enabled: !!row,
      method: row?.method ?? null,
      since: row ? new Date(row.enabled_at).toISOString() : null,
      recoveryCodesLeft: row?.left ?? 0,
      required: user.twoFactorRequired,
    };
  }

  /** A new secret, pending until confirmed with a code; a pending one before it is replaced. */
  async startEnrolment(user: SessionUser): Promise<Enrolment> {
    const secret = newTotpSecret();
    const rows = await this.db.query(
      `INSERT INTO two_factor (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now(), last_step = NULL
         WHERE two_factor.enabled_at IS NULL
       RETURNING user_id`,
      [user.id, sealSecret(secret, this.key)],
    );
    if (!rows.length)
      throw conflict(
        'two_factor_enabled',
        'Two-factor authentication is already on; turn it off first to enrol another device.',
      );
    const uri = otpauthUri(secret, this.config.TOTP_ISSUER, user.email);
    return { secret, otpauthUri: uri, qrCode: await QRCode.toDataURL(uri, { margin: 1 }) };
  }

  /** Turns 2FA on with the first code; returns the recovery codes (shown this once). Other sessions end. */
  async confirmEnrolment(user: SessionUser, code: string): Promise<{ recoveryCodes: string[] }> {
    const [row] = await this.db.query(
      `SELECT secret, enabled_at FROM two_factor WHERE user_id = $1`,
      [user.id],
    );
    if (!row)
      throw invalid(
        'no_enrolment',
        'Start the enrolment first (POST /api/auth/two-factor/enrolment).',
      );
    if (row.enabled_at)
      throw conflict('two_factor_enabled', 'Two-factor authentication is already on.');
    const verdict = verifyTotp(openSecret(row.secret, this.key), code, new Date(), null);
    if (!verdict.ok)
      throw invalid(
        'bad_code',
        'code is not the code your app shows now; check the time on your device.',
      );
    const codes = newRecoveryCodes();
    const hashes = await Promise.all(codes.map((c) => argon2.hash(c, RECOVERY_HASH)));
    await this.db.transaction(async (m) => {
      const [, n] = await m.query(
        `UPDATE two_factor SET enabled_at = now(), last_step = $2 WHERE user_id = $1 AND enabled_at IS NULL`,
        [user.id, verdict.step],
      );
      if (!n) throw conflict('two_factor_enabled', 'Two-factor authentication is already on.');
      await this.replaceRecoveryCodes(m, user.id, hashes);
    });
    await this.sessions.endAll(user.id, user.sessionId);
    await this.record(user.id, 'two_factor.enabled', { userId: user.id, method: 'totp' });
    return { recoveryCodes: codes };
  }

  private async replaceRecoveryCodes(
    m: { query(sql: string, args?: unknown[]): Promise<unknown> },
    userId: string,
    hashes: string[],
  ) {
    await m.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await m.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`, [
      userId,
      hashes,
    ]);
  }

  /** Ten new recovery codes for ten old ones, with a current code. */
  async regenerateRecoveryCodes(
    user: SessionUser,
    code: string,
  ): Promise<{ recoveryCodes: string[] }> {
    if (!(await this.verify(user.id, code)))
      throw invalid('bad_code', 'code is not a valid code or recovery code.');
    const codes = newRecoveryCodes();
    const hashes = await Promise.all(codes.map((c) => argon2.hash(c, RECOVERY_HASH)));
    await this.db.transaction((m) => this.replaceRecoveryCodes(m, user.id, hashes));
    await this.record(user.id, 'two_factor.recovery_codes_renewed', { userId: user.id });
    return { recoveryCodes: codes };
  }

  /** Turns 2FA off, with the password and a code; not while it is required. Other sessions end. */
  async disable(user: SessionUser, password: string, code: string): Promise<void> {
    if (user.twoFactorRequired)
      throw forbidden(
        'two_factor_enforced',
        'Two-factor authentication is required for you; it cannot be turned off.',
      );
    const [u] = await this.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    if (!(await verifyPassword(u?.password_hash, password)))
      throw invalid('wrong_password', 'password is not your current password.');
    if (!(await this.verify(user.id, code)))
      throw invalid('bad_code', 'code is not a valid code or recovery code.');
    await this.remove(user.id);
    await this.sessions.endAll(user.id, user.sessionId);
    await this.record(user.id, 'two_factor.disabled', { userId: user.id });
  }

  /** An admin's reset for a user who lost their device: 2FA off, every session of theirs ends. */
  async reset(admin: SessionUser, userId: string): Promise<void> {
    const [u] = await this.db.query(`SELECT id FROM users WHERE id = $1`, [userId]);
    if (!u) throw notFound('user_not_found', `No user ${userId}.`);
    const had = await this.remove(userId);
    await this.sessions.endAll(userId);
    await this.record(admin.id, 'two_factor.reset', { userId, hadTwoFactor: had });
  }

  private async remove(userId: string): Promise<boolean> {
    const [, n] = await this.db.query(`DELETE FROM two_factor WHERE user_id = $1`, [userId]);
    await this.db.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await this.sessions.forget();
    return Number(n) > 0;
  }

  async isEnabled(userId: string): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT 1 FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL`,
      [userId],
    );
    return !!row;
  }

  /**
   * Is `code` the user's current TOTP code (not used before: its step is stored, so a replay is
   * refused) or one of their unused recovery codes (then used up, and audited)?
   */
  async verify(userId: string, code: string): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT secret, last_step FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL`,
      [userId],
    );
    if (!row) return false;
    if (isTotpShaped(code)) {
      const last = row.last_step === null ? null : Number(row.last_step);
      const verdict = verifyTotp(openSecret(row.secret, this.key), code, new Date(), last);
      if (!verdict.ok) return false;
      // Only one request may use a step: the one that moves last_step forward.
      const [, n] = await this.db.query(
        `UPDATE two_factor SET last_step = $2 WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)`,
        [userId, verdict.step],
      );
      return Number(n) === 1;
    }
    const typed = normalizeRecoveryCode(code);
    if (typed.length !== 11) return false;
    const unused = await this.db.query(
      `SELECT id, code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    for (const c of unused as { id: string; code_hash: string }[]) {
      if (!(await argon2.verify(c.code_hash, typed).catch(() => false))) continue;
      const [, n] = await this.db.query(
        `UPDATE recovery_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL`,
        [c.id],
      );
      if (Number(n) !== 1) return false;
      await this.record(userId, 'two_factor.recovery_code_used', {
        userId,
        left: unused.length - 1,
      });
      return true;
    }
    return false;
  }

  /** The state between a good password and the code: a short-lived token of its own. */
  async openChallenge(userId: string): Promise<{ challenge: string; expiresAt: Date }> {
    const challenge = randomBytes(32).toString('base64url');
    const [row] = await this.db.query(
      `WITH gone AS (DELETE FROM login_challenges WHERE expires_at <= now())
       INSERT INTO login_challenges (token_hash, user_id, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING expires_at`,
      [hashToken(challenge), userId, CHALLENGE_SECONDS],
    );
    return { challenge, expiresAt: new Date(row.expires_at) };
  }

  /** Counts an attempt on a live challenge; its user, or null when it is over (expired, used, too many tries). */
  async attemptChallenge(challenge: string): Promise<string | null> {
    const [rows] = await this.db.query(
      `UPDATE login_challenges SET attempts = attempts + 1
        WHERE token_hash = $1 AND expires_at > now() AND attempts < $2 RETURNING user_id`,
      [hashToken(challenge), CHALLENGE_ATTEMPTS],
    );
    return rows[0]?.user_id ?? null;
  }

  async closeChallenge(challenge: string): Promise<void> {
    await this.db.query(`DELETE FROM login_challenges WHERE token_hash = $1`, [
      hashToken(challenge),
    ]);
  }

  /** Who has 2FA: every user, or one organisation's. */
  async overview(organizationId?: string): Promise<TwoFactorRow[]> {
    const rows = await this.db.query(
      `SELECT u.id, u.email, u.name, u.role, u.active, u.organization_id, o.name AS organization_name,
              t.method, t.enabled_at, ${TWO_FACTOR_REQUIRED_SQL('u', 'o')} AS required,
              (SELECT count(*)::int FROM recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL) AS codes_left
         FROM users u
         LEFT JOIN organizations o ON o.id = u.organization_id
         LEFT JOIN two_factor t ON t.user_id = u.id AND t.enabled_at IS NOT NULL
        WHERE ($1::uuid IS NULL OR u.organization_id = $1)
        ORDER BY o.name NULLS FIRST, u.email`,
      [organizationId ?? null],
    );
    return rows.map(
      (r: {
        id: string;
        email: string;
        name: string;
        role: Role;
        active: boolean;
        organization_id: string | null;
        organization_name: string | null;
        method: 'totp' | null;
        enabled_at: Date | null;
        required: boolean;
        codes_left: number;
      }) => ({
        userId: r.id,
        email: r.email,
        name: r.name,
        role: r.role,
        active: r.active,
        organizationId: r.organization_id,
        organizationName: r.organization_name,
        enabled: !!r.enabled_at,
        method: r.enabled_at ? r.method : null,
        since: r.enabled_at ? new Date(r.enabled_at).toISOString() : null,
        required: r.required,
        recoveryCodesLeft: r.enabled_at ? r.codes_left : 0,
      }),
    );
  }

  async requiredRoles(): Promise<Role[]> {
    const rows = await this.db.query(`SELECT role FROM two_factor_roles`);
    return ROLES.filter((r) => rows.some((x: { role: string }) => x.role === r));
  }

  async setRequiredRoles(admin: SessionUser, roles: Role[]): Promise<Role[]> {
    const before = await this.requiredRoles();
    await this.db.transaction(async (m) => {
      await m.query(`DELETE FROM two_factor_roles`);
      if (roles.length)
        await m.query(`INSERT INTO two_factor_roles (role) SELECT DISTINCT unnest($1::text[])`, [
          roles,
        ]);
    });
    await this.sessions.forget();
    const after = await this.requiredRoles();
    await this.record(admin.id, 'two_factor.required_roles_changed', { before, after });
    return after;
  }
}

/** The error the guard answers with until a user who must have 2FA has enrolled. */
export const twoFactorRequired = () =>
  new DomainError(
    'forbidden',
    'two_factor_required',
    'Two-factor authentication is required for your account: enrol first (GET /api/auth/two-factor, POST /api/auth/two-factor/enrolment).',
  );
