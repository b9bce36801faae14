import { entryHash, GENESIS_HASH } from '@app/audit';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log becomes append-only and chained: each entry names its actor's role, client address,
 * object and organisation, and stores the hash of the entry before it and its own. A trigger refuses
 * every UPDATE, DELETE and TRUNCATE on it, whichever role asks (the one deletion allowed, of an ended
 * organisation's old entries, is added by the contract-end migration). The actor is no longer a
 * foreign key: an entry outlives the user (ON DELETE SET NULL would be an UPDATE).
 */
export class AuditChain1764170000000 implements MigrationInterface {
  name = 'AuditChain1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_actor_id_fkey`);
    await q.query(`
      ALTER TABLE audit_log
        ADD COLUMN actor_role text,
        ADD COLUMN client_address text,
        ADD COLUMN object_type text,
        ADD COLUMN object_id text,
        ADD COLUMN organization_id uuid,
        ADD COLUMN dedup_key text,
        ADD COLUMN prev_hash text,
        ADD COLUMN hash text`);
    await q.query(`
      UPDATE audit_log a SET object_type = 'ticket', object_id = a.ticket_id::text,
             organization_id = t.organization_id
        FROM tickets t WHERE t.id = a.ticket_id`);
    await q.query(
      `UPDATE audit_log a SET actor_role = u.role FROM users u WHERE u.id = a.actor_id`,
    );
    // Chain what is there, in id order.
    let prev = GENESIS_HASH;
    let after = 0;
    for (;;) {
      const rows = await q.query(
        `SELECT id, actor_id, actor_role, action, object_type, object_id, organization_id, ticket_id, details, at
           FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000`,
        [after],
      );
      if (!rows.length) break;
      for (const r of rows) {
        const hash = entryHash(prev, {
          at: new Date(r.at).toISOString(),
          actorId: r.actor_id,
          actorRole: r.actor_role,
          clientAddress: null,
          action: r.action,
          objectType: r.object_type,
          objectId: r.object_id,
          organizationId: r.organization_id,
          ticketId: r.ticket_id,
          details: r.details,
        });
        await q.query(`UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE id = $1`, [
          r.id,
          prev,
          hash,
        ]);
        prev = hash;
        after = Number(r.id);
      }
    }
    await q.query(
      `ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`,
    );
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at)`);
    await q.query(`CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, at)`);
    await q.query(`CREATE INDEX audit_log_org_idx ON audit_log (organization_id, at)`);
    await q.query(
      `CREATE INDEX audit_log_dedup_idx ON audit_log (dedup_key, at) WHERE dedup_key IS NOT NULL`,
    );
    // The links of entries removed by the retention purge: the chain still verifies across them.
    await q.query(`
      CREATE TABLE audit_purged (
        id bigint PRIMARY KEY,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        organization_id uuid,
        purged_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_log', 'audit_purged']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'audit_purged']) {
      await q.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    }
    await q.query(`DROP FUNCTION audit_append_only()`);
    await q.query(`DROP TABLE audit_purged`);
    for (const i of ['at', 'actor', 'object', 'org', 'dedup'])
      await q.query(`DROP INDEX audit_log_${i}_idx`);
    await q.query(`
      ALTER TABLE audit_log DROP COLUMN actor_role, DROP COLUMN client_address, DROP COLUMN object_type,
        DROP COLUMN object_id, DROP COLUMN organization_id, DROP COLUMN dedup_key, DROP COLUMN prev_hash,
        DROP COLUMN hash`);
  }
}
