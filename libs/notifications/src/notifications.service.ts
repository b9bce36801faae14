import { AppConfig, mailJobId, Queues } from '@app/config';
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
}

export const toMailRecord = (r: any): MailRecord => ({
  id: r.id,
  messageId: r.message_id,
  kind: r.kind,
  to: r.to_addresses,
  subject: r.subject,
  body: r.body,
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
    const rec = await this.record(mail);
    await this.dispatch([rec.id]);
    return rec;
  }

  /**
   * Records a mail inside the caller's transaction (so it exists exactly when the change that caused
   * it does). After the commit, call `dispatch` with the ids; if that is lost, the reconciler queues it.
   */
  async record(mail: OutgoingMail, manager?: EntityManager): Promise<{ id: string; messageId: string }> {
    const to = [...new Set(mail.to.map((a) => a.trim()).filter(Boolean))];
    const id = randomUUID();
    const messageId = `<${randomUUID()}@${this.config.mailDomain}>`;
    await (manager ?? this.db).query(
      `INSERT INTO outbound_mails (id, message_id, kind, to_addresses, subject, body, ticket_id, in_reply_to, status, reply_to, "references", headers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, messageId, mail.kind, to, mail.subject, mail.body, mail.ticketId ?? null, mail.inReplyTo ?? null, to.length ? 'queued' : 'failed',
       mail.replyTo ?? null, mail.references ?? [], JSON.stringify(mail.headers ?? {})],
    );
    if (!to.length) await (manager ?? this.db).query(`UPDATE outbound_mails SET last_error = 'no recipients' WHERE id = $1`, [id]);
    return { id, messageId };
  }

  /** Puts recorded mails on the queue (idempotent: the job id is the mail id). */
  async dispatch(mailIds: string[]): Promise<void> {
    if (!mailIds.length) return;
    await this.queues.mail.addBulk(mailIds.map((mailId) => ({ name: 'send-mail', data: { mailId }, opts: { jobId: mailJobId(mailId) } })));
  }

  async list(filter: { status?: string; ticketId?: string; limit?: number } = {}): Promise<MailRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM outbound_mails WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR ticket_id = $2)
        ORDER BY created_at DESC LIMIT $3`,
      [filter.status ?? null, filter.ticketId ?? null, Math.min(filter.limit ?? 200, 1000)],
    );
    return rows.map(toMailRecord);
  }

  /** A delivery status notification said this mail failed for good (called by the mail channel). */
  async markBounced(messageId: string, detail: string): Promise<void> {
    await this.db.query(`UPDATE outbound_mails SET status = 'failed', last_error = $2 WHERE message_id = $1`, [messageId, detail]);
  }

  async countFailed(): Promise<number> {
    const [r] = await this.db.query(`SELECT count(*)::int AS n FROM outbound_mails WHERE status = 'failed'`);
    return r.n;
  }
}
