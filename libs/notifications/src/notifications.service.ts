import { AppConfig, Batch, mailJobId, Queues } from '@app/config';
import { TicketAccess, type Viewer } from '@app/tickets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

export interface OutgoingMail {
  /** Recipients (e-mail addresses). */
  to: string[];
  subject: string;
  /** Plain text body. */
  body: string;
  /** What the mail is for: 'alarm', 'escalation', 'reply', 'acknowledgement', … */
  kind: string;
  ticketId?: string | null;
  /** Message-ID (with angle brackets) this mail answers, for threading. */
  inReplyTo?: string | null;
  /** Message-IDs (with angle brackets) of the thread, oldest first. */
  references?: string[];
  replyTo?: string | null;
  /** Extra headers, e.g. { 'Auto-Submitted': 'auto-replied' }. */
  headers?: Record<string, string>;
  /** Files sent with the mail (kept in outbound_mail_attachments until the mail is deleted). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailRecord {
  id: string;
  messageId: string;
  kind: string;
  to: string[];
  subject: string;
  body: string;
  ticketId: string | null;
  inReplyTo: string | null;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Subject and body withheld from this viewer (a mail about an OFFICIAL-SENSITIVE ticket). */
  restricted: boolean;
}

/** A row of outbound_mails as the pg driver returns it. */
export interface OutboundMailRow {
  id: string;
  message_id: string;
  kind: string;
  to_addresses: string[];
  subject: string;
  body: string;
  ticket_id: string | null;
  in_reply_to: string | null;
  status: MailRecord['status'];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  reply_to: string | null;
  references: string[];
  headers: Record<string, string>;
  /** Whether the mail's ticket is OFFICIAL-SENSITIVE (joined for the access rule). */
  sensitive?: boolean;
  /** Whether files are attached (outbound_mail_attachments), as the mail worker reads it. */
  has_attachments?: boolean;
}

/** A mail as `viewer` may see it: about a sensitive ticket, its words are for cleared staff only. */
export const toMailRecord = (r: OutboundMailRow, viewer: Viewer): MailRecord => ({
  id: r.id,
  messageId: r.message_id,
  kind: r.kind,
  to: r.to_addresses,
  subject: TicketAccess.content(viewer, { sensitive: !!r.sensitive }, r.subject),
  body: TicketAccess.content(viewer, { sensitive: !!r.sensitive }, r.body),
  restricted: !TicketAccess.maySeeContent(viewer, { sensitive: !!r.sensitive }),
  ticketId: r.ticket_id,
  inReplyTo: r.in_reply_to,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: new Date(r.created_at).toISOString(),
  sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
});

/**
 * Outgoing mail: every mail is a row in PostgreSQL (with its own `<uuid@mail-domain>` Message-ID),
 * then a job on the mail queue; the worker sends it with nodemailer and retries with backoff.
 * A mail that finally fails keeps status `failed` and its error.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: Queues,
    private readonly config: AppConfig,
  ) {}

  /** Records and queues one mail now. Returns its id and Message-ID. */
  async send(mail: OutgoingMail): Promise<{ id: string; messageId: string }> {
    const rec = await this.records.run(mail);
    await this.dispatch([rec.id]);
    return rec;
  }

  /** Mails sent at the same moment (many tickets filed at once) are recorded by one statement. */
  private readonly records = new Batch((mails: OutgoingMail[]) => this.recordMany(mails, this.db));

  /**
   * Records a mail inside the caller's transaction (so it exists exactly when the change that caused
   * it does). After the commit, call `dispatch` with the ids; if that is lost, the reconciler queues it.
   */
  async record(
    mail: OutgoingMail,
    manager?: EntityManager,
  ): Promise<{ id: string; messageId: string }> {
    const [rec] = await this.recordMany([mail], manager ?? this.db);
    return rec;
  }

  private async recordMany(
    mails: OutgoingMail[],
    db: EntityManager | DataSource,
  ): Promise<Array<{ id: string; messageId: string }>> {
    const rows = mails.map((mail) => {
      const to = [...new Set(mail.to.map((a) => a.trim()).filter(Boolean))];
      return {
        mail,
        to,
        id: randomUUID(),
        messageId: `<${randomUUID()}@${this.config.mailDomain}>`,
      };
    });
    await db.query(
      `INSERT INTO outbound_mails (id, message_id, kind, to_addresses, subject, body, ticket_id, in_reply_to, status, last_error, reply_to, "references", headers)
       SELECT id, message_id, kind, ARRAY(SELECT jsonb_array_elements_text(to_addresses)), subject, body, ticket_id, in_reply_to,
              CASE WHEN to_addresses = '[]' THEN 'failed' ELSE 'queued' END, CASE WHEN to_addresses = '[]' THEN 'no recipients' END,
              reply_to, ARRAY(SELECT jsonb_array_elements_text(refs)), headers
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::jsonb[], $11::jsonb[])
           AS x(id, message_id, kind, to_addresses, subject, body, ticket_id, in_reply_to, reply_to, refs, headers)`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.messageId),
        rows.map((r) => r.mail.kind),
        rows.map((r) => JSON.stringify(r.to)),
        rows.map((r) => r.mail.subject),
        rows.map((r) => r.mail.body),
        rows.map((r) => r.mail.ticketId ?? null),
        rows.map((r) => r.mail.inReplyTo ?? null),
        rows.map((r) => r.mail.replyTo ?? null),
        rows.map((r) => JSON.stringify(r.mail.references ?? [])),
        rows.map((r) => JSON.stringify(r.mail.headers ?? {})),
      ],
    );
    const files = rows.flatMap((r) =>
      (r.mail.attachments ?? []).map((a, position) => ({ mailId: r.id, position, ...a })),
    );
    if (files.length > 0)
      await db.query(
        `INSERT INTO outbound_mail_attachments (mail_id, position, filename, content_type, content)
         SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::text[], $5::bytea[])`,
        [
          files.map((f) => f.mailId),
          files.map((f) => f.position),
          files.map((f) => f.filename),
          files.map((f) => f.contentType),
          files.map((f) => f.content),
        ],
      );
    return rows.map(({ id, messageId }) => ({ id, messageId }));
  }

  /**
   * Puts recorded mails on the queue (idempotent: the job id is the mail id). Calls made at the same
   * moment go to Redis as one addBulk.
   */
  dispatch(mailIds: string[]): Promise<void> {
    return mailIds.length ? this.dispatches.run(mailIds) : Promise.resolve();
  }

  private readonly dispatches = new Batch(async (lists: string[][]) => {
    await this.queues.mail.addBulk(
      lists.flat().map((mailId) => ({
        name: 'send-mail',
        data: { mailId },
        opts: { jobId: mailJobId(mailId) },
      })),
    );
    return lists.map(() => undefined);
  });

  async list(
    viewer: Viewer,
    filter: { status?: string; ticketId?: string; limit?: number } = {},
  ): Promise<MailRecord[]> {
    const rows = await this.db.query(
      `SELECT o.*, coalesce(t.sensitive, false) AS sensitive FROM outbound_mails o LEFT JOIN tickets t ON t.id = o.ticket_id
        WHERE ($1::text IS NULL OR o.status = $1) AND ($2::uuid IS NULL OR o.ticket_id = $2)
        ORDER BY o.created_at DESC LIMIT $3`,
      [filter.status ?? null, filter.ticketId ?? null, Math.min(filter.limit ?? 200, 1000)],
    );
    return rows.map((r: OutboundMailRow) => toMailRecord(r, viewer));
  }

  /** A delivery status notification said this mail failed for good (called by the mail channel). */
  async markBounced(messageId: string, detail: string): Promise<void> {
    await this.db.query(
      `UPDATE outbound_mails SET status = 'failed', last_error = $2 WHERE message_id = $1`,
      [messageId, detail],
    );
  }

  async countFailed(): Promise<number> {
    const [r] = await this.db.query(
      `SELECT count(*)::int AS n FROM outbound_mails WHERE status = 'failed'`,
    );
    return r.n;
  }
}
