import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quarterly reports (issue 10): contract terms per policy (availability goal, operating time,
 * maintenance notice and cap, service goals); incidents (a Severity 1 ticket's restoration and
 * corrected start, or an outage recorded without a ticket) and planned maintenance windows, with
 * every correction kept; issued report revisions, frozen with their figures, versions, checksum
 * and CSV files. organization_id NULL on an outage or a window: it touched every organisation.
 */
export class ReportsAndAvailability1764140000000 implements MigrationInterface {
  name = 'ReportsAndAvailability1764140000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contract_terms (
        policy_id uuid PRIMARY KEY REFERENCES sla_policies(id) ON DELETE CASCADE,
        document jsonb NOT NULL,
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE SEQUENCE outage_number_seq`);
    await q.query(`
      CREATE TABLE outages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL UNIQUE DEFAULT nextval('outage_number_seq'),
        organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE,
        ticket_id uuid UNIQUE REFERENCES tickets(id) ON DELETE CASCADE,
        started_at timestamptz,
        restored_at timestamptz,
        summary text NOT NULL DEFAULT '',
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ticket_id IS NOT NULL OR started_at IS NOT NULL),
        CHECK (restored_at IS NULL OR started_at IS NULL OR restored_at >= started_at)
      )`);
    await q.query(`CREATE INDEX outages_org_idx ON outages (organization_id, started_at)`);
    await q.query(`CREATE SEQUENCE maintenance_number_seq`);
    await q.query(`
      CREATE TABLE maintenance_windows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL UNIQUE DEFAULT nextval('maintenance_number_seq'),
        organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        announced_at timestamptz NOT NULL,
        actual_start_at timestamptz,
        actual_end_at timestamptz,
        summary text NOT NULL DEFAULT '',
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CHECK (coalesce(actual_end_at, ends_at) > coalesce(actual_start_at, starts_at))
      )`);
    await q.query(
      `CREATE INDEX maintenance_windows_org_idx ON maintenance_windows (organization_id, starts_at)`,
    );
    await q.query(`
      CREATE TABLE availability_corrections (
        id bigserial PRIMARY KEY,
        outage_id uuid REFERENCES outages(id) ON DELETE CASCADE,
        maintenance_id uuid REFERENCES maintenance_windows(id) ON DELETE CASCADE,
        field text NOT NULL,
        old_value timestamptz,
        new_value timestamptz,
        reason text NOT NULL,
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now(),
        CHECK ((outage_id IS NULL) <> (maintenance_id IS NULL))
      )`);
    await q.query(
      `CREATE INDEX availability_corrections_outage_idx ON availability_corrections (outage_id, id)`,
    );
    await q.query(
      `CREATE INDEX availability_corrections_maintenance_idx ON availability_corrections (maintenance_id, id)`,
    );
    await q.query(`
      CREATE TABLE report_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        quarter text NOT NULL,
        revision integer NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        issued_by uuid REFERENCES users(id) ON DELETE SET NULL,
        cut_off timestamptz NOT NULL,
        policy_version text NOT NULL,
        calendar_version text NOT NULL,
        terms_version text NOT NULL,
        checksum text NOT NULL,
        figures jsonb NOT NULL,
        changes jsonb NOT NULL DEFAULT '[]',
        csv_zip bytea NOT NULL,
        UNIQUE (organization_id, quarter, revision)
      )`);
    // The report reads an organisation's tickets by receipt time and by last change.
    await q.query(
      `CREATE INDEX tickets_org_received_idx ON tickets (organization_id, received_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_org_received_idx`);
    for (const t of [
      'report_revisions',
      'availability_corrections',
      'maintenance_windows',
      'outages',
      'contract_terms',
    ])
      await q.query(`DROP TABLE ${t}`);
    await q.query(`DROP SEQUENCE maintenance_number_seq`);
    await q.query(`DROP SEQUENCE outage_number_seq`);
  }
}
