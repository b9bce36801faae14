import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Filing a mail twice (its job run again after a crash: the ticket made, the process gone before the
 * mail was marked filed) must not make a second ticket, message or acknowledgement. Tickets and
 * messages say what they were made from (`source_key`, e.g. `mail:<inbound mail id>`), unique; and a
 * ticket's outgoing mail can be found by ticket (was it acknowledged already?).
 */
export class FilingOnce1763800500000 implements MigrationInterface {
  name = 'FilingOnce1763800500000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN source_key text UNIQUE`);
    await q.query(`ALTER TABLE ticket_messages ADD COLUMN source_key text UNIQUE`);
    await q.query(`CREATE INDEX outbound_mails_ticket_idx ON outbound_mails (ticket_id, kind)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_mails_ticket_idx`);
    await q.query(`ALTER TABLE ticket_messages DROP COLUMN source_key`);
    await q.query(`ALTER TABLE tickets DROP COLUMN source_key`);
  }
}
