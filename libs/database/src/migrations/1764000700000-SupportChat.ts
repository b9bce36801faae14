import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Support chat (issue 12): `chat` is a ticket channel; a chat is a ticket with a `chats` row (its live
 * state: waiting for an agent, taken, ended). Each message of a ticket gets a number (`seq`, 1, 2, …,
 * given under the ticket's row lock, so numbers follow commit order) that a reconnecting client resumes
 * from, and every message and chat change is announced on the `chat` channel (`m:<ticket>:<seq>`,
 * `c:<ticket>`) so that every api process can stream it.
 */
export class SupportChat1764000700000 implements MigrationInterface {
  name = 'SupportChat1764000700000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP CONSTRAINT tickets_channel_check`);
    await q.query(
      `ALTER TABLE tickets ADD CONSTRAINT tickets_channel_check CHECK (channel IN ('web','email','phone','api','chat'))`,
    );
    await q.query(`ALTER TABLE ticket_messages ADD COLUMN seq integer`);
    await q.query(`
      UPDATE ticket_messages m SET seq = x.n
        FROM (SELECT id, row_number() OVER (PARTITION BY ticket_id ORDER BY created_at, id) AS n FROM ticket_messages) x
       WHERE x.id = m.id`);
    await q.query(`ALTER TABLE ticket_messages ALTER COLUMN seq SET NOT NULL`);
    await q.query(
      `CREATE UNIQUE INDEX ticket_messages_seq_key ON ticket_messages (ticket_id, seq)`,
    );
    await q.query(`
      CREATE FUNCTION ticket_messages_number() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM tickets WHERE id = NEW.ticket_id FOR UPDATE;
        SELECT coalesce(max(seq), 0) + 1 INTO NEW.seq FROM ticket_messages WHERE ticket_id = NEW.ticket_id;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ticket_messages_number BEFORE INSERT ON ticket_messages FOR EACH ROW EXECUTE FUNCTION ticket_messages_number()`,
    );
    await q.query(`
      CREATE FUNCTION ticket_messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('chat', 'm:' || NEW.ticket_id || ':' || NEW.seq);
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ticket_messages_notify AFTER INSERT ON ticket_messages FOR EACH ROW EXECUTE FUNCTION ticket_messages_notify()`,
    );
    await q.query(`
      CREATE TABLE chats (
        ticket_id uuid PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
        mode text NOT NULL CHECK (mode IN ('live','message')),
        state text NOT NULL CHECK (state IN ('waiting','active','ended')),
        agent_id uuid REFERENCES users(id),
        opens_at timestamptz,
        started_at timestamptz NOT NULL,
        taken_at timestamptz,
        ended_at timestamptz,
        CHECK (CASE state WHEN 'active' THEN agent_id IS NOT NULL WHEN 'waiting' THEN agent_id IS NULL ELSE true END)
      )`);
    await q.query(
      `CREATE INDEX chats_open_idx ON chats (state, started_at) WHERE state <> 'ended'`,
    );
    await q.query(`
      CREATE FUNCTION chats_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('chat', 'c:' || NEW.ticket_id);
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER chats_notify AFTER INSERT OR UPDATE ON chats FOR EACH ROW EXECUTE FUNCTION chats_notify()`,
    );
    await q.query(`
      CREATE TABLE chat_token_keys (
        id serial PRIMARY KEY,
        secret bytea NOT NULL DEFAULT gen_random_bytes(32),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO chat_token_keys DEFAULT VALUES`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chat_token_keys`);
    await q.query(`DROP TABLE chats`);
    await q.query(`DROP FUNCTION chats_notify()`);
    await q.query(`DROP TRIGGER ticket_messages_notify ON ticket_messages`);
    await q.query(`DROP FUNCTION ticket_messages_notify()`);
    await q.query(`DROP TRIGGER ticket_messages_number ON ticket_messages`);
    await q.query(`DROP FUNCTION ticket_messages_number()`);
    await q.query(`ALTER TABLE ticket_messages DROP COLUMN seq`);
    await q.query(`DELETE FROM tickets WHERE channel = 'chat'`);
    await q.query(`ALTER TABLE tickets DROP CONSTRAINT tickets_channel_check`);
    await q.query(
      `ALTER TABLE tickets ADD CONSTRAINT tickets_channel_check CHECK (channel IN ('web','email','phone','api'))`,
    );
  }
}
