import { MigrationInterface, QueryRunner } from 'typeorm';
export class OutboundMailHeaders1763790000000 implements MigrationInterface {
  name = 'OutboundMailHeaders1763790000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE outbound_mails ADD COLUMN reply_to text, ADD COLUMN "references" text[] NOT NULL DEFAULT '{}', ADD COLUMN headers jsonb NOT NULL DEFAULT '{}'`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE outbound_mails DROP COLUMN reply_to, DROP COLUMN "references", DROP COLUMN headers`,
    );
  }
}
