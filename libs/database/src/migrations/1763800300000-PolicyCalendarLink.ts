import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A policy names the calendar it follows (calendar_id); saving that calendar copies it into the
 * policy's document, so new tickets under the policy get due times from the edited hours. Existing
 * policies are linked to a stored calendar whose document equals their copy.
 */
export class PolicyCalendarLink1763800300000 implements MigrationInterface {
  name = 'PolicyCalendarLink1763800300000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE sla_policies ADD COLUMN calendar_id uuid REFERENCES calendars(id) ON DELETE SET NULL`,
    );
    await q.query(
      `CREATE INDEX sla_policies_calendar_idx ON sla_policies (calendar_id) WHERE calendar_id IS NOT NULL`,
    );
    await q.query(`
      UPDATE sla_policies p SET calendar_id = (SELECT c.id FROM calendars c WHERE c.document = p.document->'calendar' ORDER BY c.created_at, c.id LIMIT 1)
       WHERE EXISTS (SELECT 1 FROM calendars c WHERE c.document = p.document->'calendar')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_policies DROP COLUMN calendar_id`);
  }
}
