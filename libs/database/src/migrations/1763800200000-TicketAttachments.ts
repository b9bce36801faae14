import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files attached on the web share the mail channel's attachment table: a row is either a part of an
 * inbound mail (inbound_mail_id) or an upload (uploaded_by), both listed on the ticket; every stored
 * content has its SHA-256.
 */
export class TicketAttachments1763800200000 implements MigrationInterface {
  name = 'TicketAttachments1763800200000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE inbound_attachments
        ALTER COLUMN inbound_mail_id DROP NOT NULL,
        ALTER COLUMN inline SET DEFAULT false,
        ADD COLUMN uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN sha256 text GENERATED ALWAYS AS (encode(sha256(content), 'hex')) STORED,
        ADD CONSTRAINT inbound_attachments_source_chk CHECK (inbound_mail_id IS NOT NULL OR ticket_id IS NOT NULL)`);
    await q.query(
      `CREATE INDEX inbound_attachments_ticket_idx ON inbound_attachments (ticket_id, created_at)`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM inbound_attachments WHERE inbound_mail_id IS NULL`);
    await q.query(`DROP INDEX inbound_attachments_ticket_idx`);
    await q.query(`
      ALTER TABLE inbound_attachments DROP CONSTRAINT inbound_attachments_source_chk, DROP COLUMN sha256, DROP COLUMN created_at,
        DROP COLUMN uploaded_by, ALTER COLUMN inline DROP DEFAULT, ALTER COLUMN inbound_mail_id SET NOT NULL`);
  }
}
