import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract end: an organisation's contract end date, the warnings sent before it and before the
 * deletion, and the deletion of its data: one row per organisation (its progress, then its
 * certificate) that has no foreign key, so it outlives what it deleted. The audit trigger now lets
 * the deletion job, and only it, remove an ended organisation's entries (their links are kept in
 * audit_purged, so the chain still verifies).
 */
export class ContractEnd1764170100000 implements MigrationInterface {
  name = 'ContractEnd1764170100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN contract_ends_on date`);
    await q.query(`
      CREATE TABLE contract_warnings (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('contract_end','deletion')),
        days_before integer NOT NULL,
        contract_ends_on date NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, kind, days_before, contract_ends_on)
      )`);
    await q.query(`
      CREATE TABLE organization_deletions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL UNIQUE,
        organization_name text NOT NULL,
        contract_ends_on date NOT NULL,
        state text NOT NULL CHECK (state IN ('running','done')),
        step text NOT NULL,
        counts jsonb NOT NULL DEFAULT '{}',
        batches integer NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_log'
           AND current_setting('helpdesk.audit_purge', true) = 'on'
           AND EXISTS (
             SELECT 1 FROM organization_deletions d
              WHERE d.state = 'running'
                AND (d.organization_id = OLD.organization_id
                     OR (OLD.object_type = 'organization' AND OLD.object_id = d.organization_id::text)
                     OR OLD.actor_id IN (SELECT u.id FROM users u WHERE u.organization_id = d.organization_id)
                     OR (OLD.object_type = 'user' AND OLD.object_id IN
                           (SELECT u.id::text FROM users u WHERE u.organization_id = d.organization_id))))
        THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`DROP TABLE organization_deletions`);
    await q.query(`DROP TABLE contract_warnings`);
    await q.query(`ALTER TABLE organizations DROP COLUMN contract_ends_on`);
  }
}
