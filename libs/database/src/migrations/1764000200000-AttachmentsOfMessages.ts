import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file belongs to a message and takes its visibility (an internal note's files are for staff
 * only); a file of no message belongs to the ticket's description and is public, as every file
 * was before. A mail's files belong to the message made from that mail. Each part of a mail is
 * stored once: `part` is its place in the mail, unique per mail, so filing the mail again adds none.
 */
export class AttachmentsOfMessages1764000200000 implements MigrationInterface {
  name = 'AttachmentsOfMessages1764000200000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE inbound_attachments
        ADD COLUMN message_id uuid REFERENCES ticket_messages(id) ON DELETE CASCADE,
        ADD COLUMN part integer`);
    await q.query(`
      UPDATE inbound_attachments a SET message_id = m.id
        FROM ticket_messages m WHERE a.inbound_mail_id IS NOT NULL AND m.source_key = 'mail:' || a.inbound_mail_id`);
    await q.query(`
      UPDATE inbound_attachments a SET part = n.part
        FROM (SELECT id, row_number() OVER (PARTITION BY inbound_mail_id ORDER BY filename, id) AS part
                FROM inbound_attachments WHERE inbound_mail_id IS NOT NULL) n
       WHERE n.id = a.id`);
    await q.query(
      `ALTER TABLE inbound_attachments ADD CONSTRAINT inbound_attachments_part_key UNIQUE (inbound_mail_id, part)`,
    );
    await q.query(
      `CREATE INDEX inbound_attachments_message_idx ON inbound_attachments (message_id) WHERE message_id IS NOT NULL`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbound_attachments_message_idx`);
    await q.query(`
      ALTER TABLE inbound_attachments DROP CONSTRAINT inbound_attachments_part_key,
        DROP COLUMN part, DROP COLUMN message_id`);
  }
}
