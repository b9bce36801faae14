import { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: identity, tickets and their SLA targets, alarms, outgoing mail, audit log. */
export class Initial1763769600000 implements MigrationInterface {
  name = 'Initial1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE calendars (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sla_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        policy_id uuid NOT NULL REFERENCES sla_policies(id),
        principal_user_id uuid,
        email_domains text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text,
        role text NOT NULL CHECK (role IN ('customer','customer_admin','agent','manager','admin')),
        organization_id uuid REFERENCES organizations(id),
        support_level smallint CHECK (support_level BETWEEN 1 AND 3),
        security_clearance boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role IN ('customer','customer_admin')) = (organization_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(
      `ALTER TABLE organizations ADD CONSTRAINT organizations_principal_fk FOREIGN KEY (principal_user_id) REFERENCES users(id) ON DELETE SET NULL`,
    );
    await q.query(`
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        first_failed_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
    await q.query(`CREATE SEQUENCE ticket_number_seq`);
    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL UNIQUE DEFAULT nextval('ticket_number_seq'),
        subject text NOT NULL,
        description text NOT NULL,
        severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 3),
        status text NOT NULL CHECK (status IN ('new','open','pending','resolved','closed')),
        support_level smallint NOT NULL DEFAULT 1 CHECK (support_level BETWEEN 1 AND 3),
        channel text NOT NULL CHECK (channel IN ('web','email','phone','api')),
        sensitive boolean NOT NULL DEFAULT false,
        requester_id uuid NOT NULL REFERENCES users(id),
        organization_id uuid NOT NULL REFERENCES organizations(id),
        assignee_id uuid REFERENCES users(id),
        policy_id uuid NOT NULL REFERENCES sla_policies(id),
        received_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX tickets_org_idx ON tickets (organization_id, number DESC)`);
    await q.query(`CREATE INDEX tickets_requester_idx ON tickets (requester_id, number DESC)`);
    await q.query(`CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, number DESC)`);
    await q.query(`
      CREATE TABLE ticket_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id),
        body text NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('public','internal')),
        automatic boolean NOT NULL DEFAULT false,
        channel text NOT NULL DEFAULT 'web',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE ticket_history (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        actor_id uuid REFERENCES users(id),
        field text NOT NULL,
        old_value jsonb,
        new_value jsonb,
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ticket_history_ticket_idx ON ticket_history (ticket_id, id)`);
    await q.query(`
      CREATE TABLE ticket_targets (
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        metric text NOT NULL,
        clock text NOT NULL,
        target_seconds integer NOT NULL,
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        warning_at timestamptz,
        state text NOT NULL CHECK (state IN ('running','met','breached','stopped')),
        version integer NOT NULL DEFAULT 1,
        stopped_at timestamptz,
        PRIMARY KEY (ticket_id, metric)
      )`);
    await q.query(
      `CREATE INDEX ticket_targets_due_idx ON ticket_targets (due_at) WHERE state IN ('running','breached') AND stopped_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE alarms (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        metric text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('warning','breach')),
        version integer NOT NULL,
        due_at timestamptz NOT NULL,
        fired_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (ticket_id, metric, kind, version)
      )`);
    await q.query(`CREATE INDEX alarms_fired_idx ON alarms (fired_at DESC)`);
    await q.query(`
      CREATE TABLE outbound_mails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id text NOT NULL UNIQUE,
        kind text NOT NULL,
        to_addresses text[] NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        in_reply_to text,
        status text NOT NULL CHECK (status IN ('queued','sent','failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbound_mails_status_idx ON outbound_mails (status, created_at)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        action text NOT NULL,
        ticket_id uuid,
        details jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_ticket_idx ON audit_log (ticket_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'audit_log',
      'outbound_mails',
      'alarms',
      'ticket_targets',
      'ticket_history',
      'ticket_messages',
      'tickets',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP SEQUENCE ticket_number_seq`);
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`ALTER TABLE organizations DROP CONSTRAINT organizations_principal_fk`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organizations`);
    await q.query(`DROP TABLE sla_policies`);
    await q.query(`DROP TABLE calendars`);
  }
}
