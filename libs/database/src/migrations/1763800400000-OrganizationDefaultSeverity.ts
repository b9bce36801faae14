import { MigrationInterface, QueryRunner } from 'typeorm';

/** The severity a customer's e-mail gets when its subject carries no tag ([S1], [Severity 2]). */
export class OrganizationDefaultSeverity1763800400000 implements MigrationInterface {
  name = 'OrganizationDefaultSeverity1763800400000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE organizations ADD COLUMN default_severity smallint NOT NULL DEFAULT 3 CHECK (default_severity BETWEEN 1 AND 3)`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations DROP COLUMN default_severity`);
  }
}
