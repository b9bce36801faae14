import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every recorded alarm is announced on the `alarms` channel (payload: its id), so that every api process can stream it. */
export class AlarmNotify1763800000000 implements MigrationInterface {
  name = 'AlarmNotify1763800000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION alarms_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('alarms', NEW.id::text);
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER alarms_notify AFTER INSERT ON alarms FOR EACH ROW EXECUTE FUNCTION alarms_notify()`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER alarms_notify ON alarms`);
    await q.query(`DROP FUNCTION alarms_notify()`);
  }
}
