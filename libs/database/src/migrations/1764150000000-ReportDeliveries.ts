import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quarterly report delivery (issue 10 §6): files attached to an outgoing mail (the report's PDF), and
 * one row per organisation and quarter (unique), so a report is issued and mailed once however many
 * workers run and however often they restart. A worker claims a row for a few minutes (claimed_until),
 * so a worker that dies mid-way leaves it to the next; each step's result is kept (report_id, mail_id).
 */
export class ReportDeliveries1764150000000 implements MigrationInterface {
  name = 'ReportDeliveries1764150000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbound_mail_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mail_id uuid NOT NULL REFERENCES outbound_mails(id) ON DELETE CASCADE,
        position smallint NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        UNIQUE (mail_id, position)
      )`);
    await q.query(`
      CREATE TABLE report_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        quarter text NOT NULL CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','mailed','failed')),
        report_id uuid,
        revision integer,
        mail_id uuid REFERENCES outbound_mails(id) ON DELETE SET NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        claimed_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, quarter)
      )`);
    await q.query(
      `CREATE INDEX report_deliveries_open_idx ON report_deliveries (status) WHERE status <> 'mailed'`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_deliveries`);
    await q.query(`DROP TABLE outbound_mail_attachments`);
  }
}
