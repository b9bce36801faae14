import { MigrationInterface, QueryRunner } from 'typeorm';

/** The e-mail channel's own tables: raw inbound mails, their attachments, Message-IDs, recipients' bounce state, acknowledgements. */
export class MailChannel1763780000000 implements MigrationInterface {
  name = 'MailChannel1763780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_mails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        content_hash text NOT NULL UNIQUE,
        raw bytea NOT NULL,
        size integer NOT NULL,
        source text NOT NULL CHECK (source IN ('smtp','imap','api')),
        received_at timestamptz NOT NULL,
        envelope_from text,
        envelope_to text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','filed','review','ignored')),
        reason text,
        sender_kind text,
        message_id text,
        from_address text,
        subject text,
        text_body text,
        html_body text,
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        too_large boolean NOT NULL DEFAULT false,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        filed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX inbound_mails_status_idx ON inbound_mails (status, received_at DESC)`,
    );
    await q.query(`CREATE INDEX inbound_mails_ticket_idx ON inbound_mails (ticket_id)`);
    await q.query(`
      CREATE TABLE inbound_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inbound_mail_id uuid NOT NULL REFERENCES inbound_mails(id) ON DELETE CASCADE,
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL,
        inline boolean NOT NULL,
        content_id text,
        content bytea,
        too_large boolean NOT NULL DEFAULT false
      )`);
    await q.query(
      `CREATE INDEX inbound_attachments_mail_idx ON inbound_attachments (inbound_mail_id)`,
    );
    await q.query(`
      CREATE TABLE mail_message_ids (
        message_id text PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        direction text NOT NULL CHECK (direction IN ('in','out')),
        kind text,
        recipient text,
        status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok','failed','delayed')),
        status_detail text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX mail_message_ids_ticket_idx ON mail_message_ids (ticket_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE mail_recipients (
        address text PRIMARY KEY,
        bouncing boolean NOT NULL DEFAULT false,
        last_bounce_at timestamptz,
        last_bounce_status text,
        bounces integer NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE mail_acknowledgements (
        id bigserial PRIMARY KEY,
        sender text NOT NULL,
        ticket_id uuid REFERENCES tickets(id) ON DELETE CASCADE,
        sent_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX mail_acknowledgements_sender_idx ON mail_acknowledgements (sender, sent_at DESC)`,
    );
    await q.query(`
      CREATE TABLE mail_ticket_notices (
        source_key text PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'mail_ticket_notices',
      'mail_acknowledgements',
      'mail_recipients',
      'mail_message_ids',
      'inbound_attachments',
      'inbound_mails',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
