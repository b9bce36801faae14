import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every target of a policy is timed (issue 10): a target has rounds (a row each: next response once
 * per customer message, periodic update after each update, resolution again after a reopening), and
 * a round pauses while the ticket waits on the customer (due_at NULL while paused; left_seconds kept,
 * paused_seconds summed). warning_seconds: the clock's seconds used when the warning fires. Versions
 * stay unique per ticket and metric across rounds, so alarm keys and job ids need no round.
 * Tickets get a kind (issue 11): data-protection requests and security incidents.
 */
export class ClockRounds1764130000000 implements MigrationInterface {
  name = 'ClockRounds1764130000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_targets ADD COLUMN round integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE ticket_targets DROP CONSTRAINT ticket_targets_pkey`);
    await q.query(`ALTER TABLE ticket_targets ADD PRIMARY KEY (ticket_id, metric, round)`);
    await q.query(
      `CREATE UNIQUE INDEX ticket_targets_version_key ON ticket_targets (ticket_id, metric, version)`,
    );
    await q.query(`ALTER TABLE ticket_targets ALTER COLUMN due_at DROP NOT NULL`);
    await q.query(`ALTER TABLE ticket_targets DROP CONSTRAINT ticket_targets_state_check`);
    await q.query(
      `ALTER TABLE ticket_targets ADD CONSTRAINT ticket_targets_state_check CHECK (state IN ('running','paused','met','breached','stopped'))`,
    );
    await q.query(`
      ALTER TABLE ticket_targets
        ADD COLUMN warning_seconds double precision,
        ADD COLUMN paused_at timestamptz,
        ADD COLUMN left_seconds double precision,
        ADD COLUMN paused_seconds double precision NOT NULL DEFAULT 0,
        ADD COLUMN pausable boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT ticket_targets_paused_check CHECK ((state = 'paused') = (paused_at IS NOT NULL AND stopped_at IS NULL)),
        ADD CONSTRAINT ticket_targets_due_check CHECK (due_at IS NOT NULL OR state IN ('paused','met','breached','stopped'))`);
    await q.query(`ALTER TABLE alarms ADD COLUMN round integer NOT NULL DEFAULT 1`);
    await q.query(
      `ALTER TABLE tickets ADD COLUMN kind text NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard','data_protection_request','security_incident'))`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN kind`);
    await q.query(`ALTER TABLE alarms DROP COLUMN round`);
    await q.query(`DELETE FROM ticket_targets WHERE round > 1 OR due_at IS NULL`);
    await q.query(`
      ALTER TABLE ticket_targets
        DROP CONSTRAINT ticket_targets_due_check,
        DROP CONSTRAINT ticket_targets_paused_check,
        DROP COLUMN pausable, DROP COLUMN paused_seconds, DROP COLUMN left_seconds,
        DROP COLUMN paused_at, DROP COLUMN warning_seconds`);
    await q.query(`ALTER TABLE ticket_targets DROP CONSTRAINT ticket_targets_state_check`);
    await q.query(
      `ALTER TABLE ticket_targets ADD CONSTRAINT ticket_targets_state_check CHECK (state IN ('running','met','breached','stopped'))`,
    );
    await q.query(`ALTER TABLE ticket_targets ALTER COLUMN due_at SET NOT NULL`);
    await q.query(`DROP INDEX ticket_targets_version_key`);
    await q.query(`ALTER TABLE ticket_targets DROP CONSTRAINT ticket_targets_pkey`);
    await q.query(`ALTER TABLE ticket_targets ADD PRIMARY KEY (ticket_id, metric)`);
    await q.query(`ALTER TABLE ticket_targets DROP COLUMN round`);
  }
}
