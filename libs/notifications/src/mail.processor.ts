import {
  annotateLog,
  AppConfig,
  Batch,
  inJobContext,
  MAIL_WORKER_OPTIONS,
  MailJobData,
  QUEUES,
  REDIS,
} from '@app/config';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { reference } from '@app/tickets';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createTransport, Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import type { OutboundMailRow } from './notifications.service';

/**
 * SMTP_URL as a pool of a few connections kept open, so that a burst of acknowledgements does not pay
 * a connection and greeting per mail (given to SMTPPool itself: createTransport drops every other
 * option next to a `url`). Nagle's algorithm is off: with it, the end of each message waits for the
 * server's delayed ACK (40 ms on Linux), which capped a connection at ~20 mails a second.
 */
export function smtpPool(smtpUrl: string): SMTPPool {
  return new SMTPPool({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: 1000,
    getSocket: (options, callback) => {
      const socket = connect({
        host: options.host ?? 'localhost',
        port: Number(options.port) || (options.secure ? 465 : 587),
        noDelay: true,
      });
      socket.once('error', callback);
      socket.once('connect', () => {
        socket.removeListener('error', callback);
        callback(null, { connection: socket });
      });
    },
  });
}

const LINGER_MS = 20;
/** Marking an accepted mail sent is retried with this backoff (ms) until PostgreSQL answers. */
export const MARK_RETRY = { firstMs: 200, maxMs: 5_000 };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The worker side of outgoing mail: sends a recorded mail over SMTP, once. */
@Injectable()
export class MailProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailProcessor.name);
  private connection?: Redis;
  private worker?: Worker<MailJobData>;
  private transport: Transporter;
  private stopping = false;
  // Jobs running at the same moment read their mails and record their sending with one statement
  // each; a mail waits up to 20 ms for others, which nobody notices in a mail.
  private readonly reads = new Batch(
    async (ids: string[]) => {
      const rows: (OutboundMailRow & { ticket_number: string | null })[] = await this.db.query(
        `SELECT o.*, t.number AS ticket_number,
                EXISTS (SELECT 1 FROM outbound_mail_attachments a WHERE a.mail_id = o.id) AS has_attachments
           FROM outbound_mails o LEFT JOIN tickets t ON t.id = o.ticket_id WHERE o.id = ANY($1::uuid[])`,
        [ids],
      );
      return ids.map((id) => rows.find((r) => r.id === id));
    },
    { lingerMs: LINGER_MS },
  );
  private readonly sent = new Batch(
    async (ids: string[]) => {
      await this.db.query(
        `UPDATE outbound_mails SET attempts = attempts + 1, status = 'sent', sent_at = now(), last_error = NULL WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
        [ids],
      );
      return ids.map(() => undefined);
    },
    { lingerMs: LINGER_MS },
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.transport = createTransport(smtpPool(config.SMTP_URL));
  }

  onApplicationBootstrap(): void {
    this.worker = new Worker<MailJobData>(
      QUEUES.mail,
      (job) => inJobContext(job, () => this.process(job)),
      {
        connection: (this.connection = this.redis.duplicate()),
        prefix: this.config.QUEUE_PREFIX,
        // Most jobs wait on SMTP; more of them at once let their reads and updates share statements.
        concurrency: 50,
        ...MAIL_WORKER_OPTIONS,
      },
    );
    this.worker.on('error', (err) => this.logger.error(`mail worker: ${err.message}`));
    this.worker.on('failed', (job, err) => {
      if (!job) return this.logger.warn(`mail job failed: ${err.message}`);
      const final =
        err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      inJobContext(job, () =>
        this.logger.warn(
          `mail ${job.data.mailId} (job ${job.id}) attempt ${job.attemptsMade} failed${final ? ' finally' : ''}: ${err.message}`,
        ),
      );
    });
  }

  /**
   * Sends the mail unless its row says it went out already. Once the SMTP server has accepted it, the
   * mail is never sent again: the acceptance is noted on the job (Redis) and the row is marked sent,
   * retrying until PostgreSQL answers (a restart of the database must not fail the job and resend).
   */
  async process(job: Job<MailJobData>): Promise<void> {
    if (job.data.acceptedAt) return this.markSent(job);
    const mail = await this.reads.run(job.data.mailId);
    if (!mail) throw new UnrecoverableError(`mail ${job.data.mailId} does not exist`);
    if (mail.ticket_number != null) annotateLog({ ticket: reference(mail.ticket_number) });
    if (mail.status !== 'queued') return;
    try {
      const attachments = mail.has_attachments ? await this.attachmentsOf(mail.id) : undefined;
      await this.transport.sendMail({
        attachments,
        from: this.config.MAIL_FROM,
        to: mail.to_addresses,
        subject: mail.subject,
        text: mail.body,
        messageId: mail.message_id,
        inReplyTo: mail.in_reply_to ?? undefined,
        references: mail.references?.length ? mail.references : (mail.in_reply_to ?? undefined),
        replyTo: mail.reply_to ?? undefined,
        headers: mail.headers ?? {},
      });
    } catch (err) {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.db.query(
        `UPDATE outbound_mails SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1 AND status = 'queued'`,
        [mail.id, errorText(err), final ? 'failed' : 'queued'],
      );
      throw err;
    }
    await job
      .updateData({ ...job.data, acceptedAt: new Date().toISOString() })
      .catch((err) =>
        this.logger.warn(
          `mail ${mail.id} (job ${job.id}) accepted, but noting it on the job failed: ${errorText(err)}`,
        ),
      );
    await this.markSent(job);
    this.logger.debug(
      `mail ${mail.id} (${mail.kind}) sent to ${mail.to_addresses.length} recipients`,
    );
  }

  private async attachmentsOf(mailId: string) {
    const rows: { filename: string; content_type: string; content: Buffer }[] = await this.db.query(
      `SELECT filename, content_type, content FROM outbound_mail_attachments WHERE mail_id = $1 ORDER BY position`,
      [mailId],
    );
    return rows.map((r) => ({
      filename: r.filename,
      contentType: r.content_type,
      content: r.content,
    }));
  }

  /** Marks an accepted mail sent, trying again with backoff (logged) until the database answers. */
  private async markSent(job: Job<MailJobData>): Promise<void> {
    const { mailId } = job.data;
    for (let attempt = 1, wait = MARK_RETRY.firstMs; ; attempt++) {
      try {
        await this.sent.run(mailId);
        if (attempt > 1)
          this.logger.log(`mail ${mailId} (job ${job.id}) marked sent after ${attempt} tries`);
        return;
      } catch (err) {
        // Shutting down: the job fails, and its next run (acceptedAt noted) only marks the mail.
        if (this.stopping) throw err;
        this.logger.warn(
          `mail ${mailId} (job ${job.id}) was accepted by the SMTP server but marking it sent failed (try ${attempt}): ${errorText(err)}; trying again in ${wait} ms`,
        );
        await new Promise((ok) => setTimeout(ok, wait));
        wait = Math.min(wait * 2, MARK_RETRY.maxMs);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker?.close();
    this.connection?.disconnect();
    this.transport.close();
  }
}
