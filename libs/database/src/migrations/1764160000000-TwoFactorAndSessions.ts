import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor authentication and sessions (issue 11): a TOTP secret per user (`two_factor`, enabled
 * once confirmed with a code; the last accepted time step, so a code is accepted once), ten hashed
 * recovery codes, the short-lived state between the password and the code (`login_challenges`), the
 * roles an admin requires 2FA of, and per organisation: 2FA required and stricter session time-outs.
 * Sessions get an id to be listed and ended by, the device, the address and when they were last seen.
 */
export class TwoFactorAndSessions1764160000000 implements MigrationInterface {
  name = 'TwoFactorAndSessions1764160000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sessions
        ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN user_agent text,
        ADD COLUMN client_address text`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
    await q.query(
      `ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`,
    );
    await q.query(`
      ALTER TABLE organizations
        ADD COLUMN require_two_factor boolean NOT NULL DEFAULT false,
        ADD COLUMN session_idle_minutes integer CHECK (session_idle_minutes > 0),
        ADD COLUMN session_max_hours integer CHECK (session_max_hours > 0)`);
    await q.query(`
      CREATE TABLE two_factor (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        method text NOT NULL DEFAULT 'totp' CHECK (method IN ('totp')),
        secret text NOT NULL,
        enabled_at timestamptz,
        last_step bigint,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id)`);
    await q.query(`
      CREATE TABLE login_challenges (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        attempts integer NOT NULL DEFAULT 0,
        user_agent text,
        client_address text,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE two_factor_roles (
        role text PRIMARY KEY CHECK (role IN ('customer','customer_admin','agent','manager','admin'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE two_factor_roles`);
    await q.query(`DROP TABLE login_challenges`);
    await q.query(`DROP TABLE recovery_codes`);
    await q.query(`DROP TABLE two_factor`);
    await q.query(
      `ALTER TABLE organizations DROP COLUMN require_two_factor, DROP COLUMN session_idle_minutes, DROP COLUMN session_max_hours`,
    );
    await q.query(`ALTER TABLE users DROP COLUMN password_change_required`);
    await q.query(`DROP INDEX sessions_user_idx`);
    await q.query(
      `ALTER TABLE sessions DROP COLUMN id, DROP COLUMN last_seen_at, DROP COLUMN user_agent, DROP COLUMN client_address`,
    );
  }
}
