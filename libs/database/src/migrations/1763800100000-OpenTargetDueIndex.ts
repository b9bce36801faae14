import { MigrationInterface, QueryRunner } from 'typeorm';

/** The nearest open due time of each ticket (GET /api/tickets?sort=due, view=breaching) read from the index alone. */
export class OpenTargetDueIndex1763800100000 implements MigrationInterface {
  name = 'OpenTargetDueIndex1763800100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ticket_targets_open_due_idx ON ticket_targets (ticket_id, due_at) WHERE stopped_at IS NULL`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ticket_targets_open_due_idx`);
  }
}
